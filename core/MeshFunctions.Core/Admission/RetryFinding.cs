namespace MeshFunctions.Core.Admission;

/// <summary>A gRPC route whose retry policy retries on unavailable/cancelled.</summary>
/// <param name="Path">The field: <c>spec.http[i].retries.retryOn</c> (explicit) or <c>spec.http[i].retries</c> (Istio's default).</param>
/// <param name="Host">The gRPC destination host, fully qualified.</param>
/// <param name="Message">What is wrong and what to write instead.</param>
/// <param name="Explicit">True when <c>retryOn</c> names the risky conditions; false when Istio's default policy applies.</param>
public sealed record RetryFinding(string Path, string Host, string Message, bool Explicit)
{
    /// <summary><c>path: message</c> for default-policy findings, <c>path message</c> for explicit ones (the field then reads as the subject).</summary>
    public string Text => Explicit ? $"{Path} {Message}" : $"{Path}: {Message}";
}

namespace MeshFunctions.Core.Admission;

/// <summary>The answer of a validating rule: allow or deny, with advice and audit notes.</summary>
public sealed record AdmissionDecision
{
    /// <summary>False when the request must be rejected.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why it was denied, written for the person who ran <c>kubectl apply</c>; null when allowed.</summary>
    public string? Message { get; init; }

    /// <summary>Advice sent back as admission warnings (allowed or denied).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Entries for <c>response.auditAnnotations</c> (the API server prefixes the keys with the webhook name).</summary>
    public IReadOnlyDictionary<string, string> AuditAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Admits the request, optionally with advice.</summary>
    public static AdmissionDecision Allow(IReadOnlyList<string>? warnings = null) => new() { Allowed = true, Warnings = warnings ?? [] };

    /// <summary>Rejects the request with a message for the user.</summary>
    public static AdmissionDecision Deny(string message, IReadOnlyList<string>? warnings = null) =>
        new() { Allowed = false, Message = message, Warnings = warnings ?? [] };
}

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// The body is not an AdmissionReview the API server could have sent (answered with HTTP 400 and this message). When the
/// request's <c>uid</c> was readable it is kept, so the answer can still be an AdmissionReview that denies with the reason.
/// </summary>
internal sealed class AdmissionReviewException(string message, string? uid = null) : Exception(message)
{
    public string? Uid { get; } = uid;
}

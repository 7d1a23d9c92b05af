namespace MeshFunctions.Core.Rendering;

/// <summary>
/// The retry policy rendered onto every route of a gRPC Router. Istio's default outbound policy retries
/// <c>connect-failure,refused-stream,unavailable,cancelled</c> twice, so during an outage a failing gRPC service
/// receives three times its traffic; this policy retries only failures that happen before the request reached the
/// application.
/// </summary>
public sealed record GrpcRetryPolicy
{
    /// <summary>Retries per request (Istio <c>retries.attempts</c>). Default 2; 0 disables retries.</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>
    /// Envoy retry conditions (Istio <c>retries.retryOn</c>). Default <c>connect-failure,refused-stream,reset</c>.
    /// Must not contain <c>unavailable</c> or <c>cancelled</c>.
    /// </summary>
    public string RetryOn { get; init; } = "connect-failure,refused-stream,reset";

    /// <summary>Timeout of each attempt (Istio <c>retries.perTryTimeout</c>); default none (the route timeout applies).</summary>
    public TimeSpan? PerTryTimeout { get; init; }
}

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// The Rate Limit Service's configuration for one domain, the model that both MeshFunctions'
/// RateLimit resources and envoyproxy/ratelimit's YAML files load into.
/// </summary>
public sealed record RlsConfig
{
    /// <summary>The domain Envoy sends in <c>RateLimitRequest.domain</c>; unique across loaded configs.</summary>
    public string Domain { get; init; } = string.Empty;

    /// <summary>Top-level descriptor entries (the first level of a request's descriptor entries).</summary>
    public IReadOnlyList<RlsDescriptor> Descriptors { get; init; } = [];
}

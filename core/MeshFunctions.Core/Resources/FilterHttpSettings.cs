using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>ConnectionPoolSettings.HTTPSettings</c>.</summary>
public sealed record FilterHttpSettings
{
    public int? Http1MaxPendingRequests { get; init; }

    public int? Http2MaxRequests { get; init; }

    public int? MaxRequestsPerConnection { get; init; }

    public int? MaxRetries { get; init; }

    public string? IdleTimeout { get; init; }

    /// <summary><c>DEFAULT</c>, <c>DO_NOT_UPGRADE</c> or <c>UPGRADE</c>.</summary>
    public string? H2UpgradePolicy { get; init; }

    public bool? UseClientProtocol { get; init; }

    public int? MaxConcurrentStreams { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        foreach (var d in FilterRules.NonNegative(Http1MaxPendingRequests, path + ".http1MaxPendingRequests")
            .Concat(FilterRules.NonNegative(Http2MaxRequests, path + ".http2MaxRequests"))
            .Concat(FilterRules.NonNegative(MaxRequestsPerConnection, path + ".maxRequestsPerConnection"))
            .Concat(FilterRules.NonNegative(MaxRetries, path + ".maxRetries"))
            .Concat(FilterRules.NonNegative(MaxConcurrentStreams, path + ".maxConcurrentStreams"))
            .Concat(FilterRules.Duration(IdleTimeout, path + ".idleTimeout")))
        {
            yield return d;
        }

        if (H2UpgradePolicy is not (null or "DEFAULT" or "DO_NOT_UPGRADE" or "UPGRADE"))
        {
            yield return Diagnostic.Error(path + ".h2UpgradePolicy", $"must be DEFAULT, DO_NOT_UPGRADE or UPGRADE, got '{H2UpgradePolicy}'");
        }
    }
}

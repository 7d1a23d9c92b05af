using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// The feature blocks of an IstioFilter. Route blocks patch the VirtualService's <c>http[]</c> routes,
/// policy blocks the DestinationRules' <c>trafficPolicy</c>, and workload blocks render extra objects
/// (AuthorizationPolicy, EnvoyFilter, Telemetry) for the Router's workloads. Field names follow Istio's
/// so that snippets from Istio's documentation can be pasted in.
/// </summary>
public sealed partial record IstioFilterSpec
{
    /// <summary>Optional: which branches/routes the filter applies to; everything when absent.</summary>
    public FilterSelector? Selector { get; init; }

    public FilterRetries? Retries { get; init; }

    /// <summary>Route timeout (Istio <c>http[].timeout</c>), e.g. <c>5s</c>.</summary>
    public string? Timeout { get; init; }

    public FilterFault? Fault { get; init; }

    public FilterMirror? Mirror { get; init; }

    public FilterHeaders? Headers { get; init; }

    public FilterCorsPolicy? CorsPolicy { get; init; }

    public FilterConnectionPool? ConnectionPool { get; init; }

    public FilterOutlierDetection? OutlierDetection { get; init; }

    public FilterLoadBalancer? LoadBalancer { get; init; }

    public FilterAuthorization? Authorization { get; init; }

    public FilterBlacklist? Blacklist { get; init; }

    public FilterLocalRateLimit? LocalRateLimit { get; init; }

    public FilterAccessLog? AccessLog { get; init; }

    public FilterHostPassthrough? HostPassthrough { get; init; }

    /// <summary>True when any block patches the VirtualService's HTTP routes.</summary>
    internal bool HasRouteFeatures => Retries is not null || Timeout is not null || Fault is not null || Mirror is not null || Headers is not null || CorsPolicy is not null;

    /// <summary>True when any block patches DestinationRules.</summary>
    internal bool HasPolicyFeatures => ConnectionPool is not null || OutlierDetection is not null || LoadBalancer is not null;

    /// <summary>True when any block renders objects for the Router's workloads.</summary>
    internal bool HasWorkloadFeatures => Authorization is not null || Blacklist is not null || LocalRateLimit is not null || AccessLog is not null || HostPassthrough is not null;

    private partial IEnumerable<Diagnostic> ValidateFeatures()
    {
        if (!HasRouteFeatures && !HasPolicyFeatures && !HasWorkloadFeatures)
        {
            yield return Diagnostic.Error("spec", "must set at least one feature block: retries, timeout, fault, mirror, headers, corsPolicy, connectionPool, outlierDetection, loadBalancer, authorization, blacklist, localRateLimit, accessLog, hostPassthrough");
        }

        var all = (Selector?.Validate("spec.selector") ?? [])
            .Concat(Retries?.Validate("spec.retries") ?? [])
            .Concat(FilterRules.Duration(Timeout, "spec.timeout"))
            .Concat(Fault?.Validate("spec.fault") ?? [])
            .Concat(Mirror?.Validate("spec.mirror") ?? [])
            .Concat(Headers?.Validate("spec.headers") ?? [])
            .Concat(CorsPolicy?.Validate("spec.corsPolicy") ?? [])
            .Concat(ConnectionPool?.Validate("spec.connectionPool") ?? [])
            .Concat(OutlierDetection?.Validate("spec.outlierDetection") ?? [])
            .Concat(LoadBalancer?.Validate("spec.loadBalancer") ?? [])
            .Concat(Authorization?.Validate("spec.authorization") ?? [])
            .Concat(Blacklist?.Validate("spec.blacklist") ?? [])
            .Concat(LocalRateLimit?.Validate("spec.localRateLimit") ?? [])
            .Concat(AccessLog?.Validate("spec.accessLog") ?? [])
            .Concat(HostPassthrough?.Validate("spec.hostPassthrough") ?? []);
        foreach (var d in all)
        {
            yield return d;
        }
    }
}

using System.Globalization;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>How RateLimits are rendered: the RLS domain and address, the filter's behaviour, and how workloads are selected.</summary>
public sealed record RateLimitRenderOptions
{
    /// <summary>The RLS domain for every rendered descriptor. Default <c>meshfunctions</c>.</summary>
    public string Domain { get; init; } = "meshfunctions";

    /// <summary>The RLS Service's host. Default <c>rls.meshfunctions.svc.cluster.local</c>.</summary>
    public string RlsHost { get; init; } = "rls.meshfunctions.svc.cluster.local";

    /// <summary>The RLS Service's gRPC port. Default 8081 (envoyproxy/ratelimit's).</summary>
    public int RlsPort { get; init; } = 8081;

    /// <summary>
    /// How long Envoy waits for the RLS before applying <see cref="FailureModeDeny"/>. Default 50 ms:
    /// Envoy's own 20 ms default is tight for an RLS on another node, and with fail-open a slow answer
    /// only lets the request through.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Reject requests when the RLS fails or times out. Default false (fail open, Envoy's default).</summary>
    public bool FailureModeDeny { get; init; }

    /// <summary>Have Envoy add <c>X-RateLimit-*</c> headers (<c>DRAFT_VERSION_03</c>). Default false.</summary>
    public bool EnableXRateLimitHeaders { get; init; }

    /// <summary>The pod label that carries the service name. Default <c>app</c>, as in the seed's EnvoyFilters.</summary>
    public string ServiceLabel { get; init; } = "app";

    /// <summary>
    /// Further workload-selector labels. Default <c>branch: master</c>, as in the seed: the limit protects
    /// the production branch (sandboxes live in their own namespaces anyway).
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraWorkloadLabels { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["branch"] = "master" };

    /// <summary>The cluster's DNS domain. Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Envoy's cluster name for the RLS as Istio generates it: <c>outbound|port||host</c>.</summary>
    public string RlsClusterName => $"outbound|{RlsPort.ToString(CultureInfo.InvariantCulture)}||{RlsHost}";

    /// <summary>
    /// The Sidecar egress host (<c>*/host</c>) every rate-limited workload needs: without it the RLS cluster
    /// is missing from the sidecar, Envoy's calls fail, and fail-open silently disables every limit.
    /// </summary>
    public string SidecarEgressHost => "*/" + RlsHost;

    /// <summary>Every problem with these options (all at once); empty when they are usable.</summary>
    public IReadOnlyList<Diagnostic> Validate()
    {
        var errors = new List<Diagnostic>();
        if (string.IsNullOrWhiteSpace(Domain))
        {
            errors.Add(Diagnostic.Error(nameof(Domain), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(RlsHost))
        {
            errors.Add(Diagnostic.Error(nameof(RlsHost), "must not be empty"));
        }

        if (RlsPort is < 1 or > 65535)
        {
            errors.Add(Diagnostic.Error(nameof(RlsPort), $"must be between 1 and 65535, got {RlsPort}"));
        }

        if (Timeout < TimeSpan.Zero)
        {
            errors.Add(Diagnostic.Error(nameof(Timeout), "must not be negative (zero means no timeout)"));
        }

        if (string.IsNullOrWhiteSpace(ServiceLabel))
        {
            errors.Add(Diagnostic.Error(nameof(ServiceLabel), "must not be empty"));
        }

        if (string.IsNullOrWhiteSpace(ClusterDomain))
        {
            errors.Add(Diagnostic.Error(nameof(ClusterDomain), "must not be empty"));
        }

        return errors;
    }
}

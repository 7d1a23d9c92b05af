namespace MeshFunctions.Core.Rendering;

/// <summary>
/// How <see cref="RouterRenderer"/> names and labels what it renders. Defaults match the seed's cluster. Hosts check
/// <see cref="Validate"/> once at start; rendering does not re-check the options on every call.
/// </summary>
public sealed record RenderOptions
{
    /// <summary>The options with every default.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>The cluster's DNS domain, used in every host name. Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// <c>spec.gateways</c> of the VirtualService. Default <c>["mesh"]</c>; the seed also lists
    /// <c>istio-system/svc-ingress</c>. Keep <c>mesh</c> in the list: sandbox routes match on <c>sourceLabels</c>,
    /// which only apply to sidecars. An empty list omits the field (Istio then means <c>mesh</c>).
    /// </summary>
    public IReadOnlyList<string> Gateways { get; init; } = ["mesh"];

    /// <summary>The pod label naming the service (selector of every Service). Default <c>app</c>.</summary>
    public string AppLabel { get; init; } = "app";

    /// <summary>The pod label naming the branch (<c>master</c>, <c>box-NNNN</c>). Default <c>branch</c>.</summary>
    public string BranchLabel { get; init; } = "branch";

    /// <summary>The pod label naming the version (selector of each version subset). Default <c>version</c>.</summary>
    public string VersionLabel { get; init; } = "version";

    /// <summary>The retry policy of gRPC routes. Default: 2 attempts on <c>connect-failure,refused-stream,reset</c>.</summary>
    public GrpcRetryPolicy GrpcRetry { get; init; } = new();

    /// <summary>The value of <c>app.kubernetes.io/managed-by</c> on every rendered object. Default <c>meshfunctions</c>.</summary>
    public string ManagedBy { get; init; } = "meshfunctions";

    /// <summary>Every problem with these options (empty when valid), each naming the option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Resources.Names.IsDns1123Subdomain(ClusterDomain))
        {
            errors.Add($"{nameof(ClusterDomain)}: '{ClusterDomain}' is not a DNS name");
        }

        foreach (var (name, value) in new[] { (nameof(AppLabel), AppLabel), (nameof(BranchLabel), BranchLabel), (nameof(VersionLabel), VersionLabel) })
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add($"{name}: is required");
            }
        }

        if (Gateways.Count > 0 && !Gateways.Contains("mesh"))
        {
            errors.Add($"{nameof(Gateways)}: must include 'mesh' (sandbox routes match on sourceLabels, which apply to sidecars only)");
        }

        if (!Resources.Names.IsLabelValue(ManagedBy) || ManagedBy.Length == 0)
        {
            errors.Add($"{nameof(ManagedBy)}: '{ManagedBy}' is not a label value");
        }

        if (GrpcRetry.Attempts < 0)
        {
            errors.Add($"{nameof(GrpcRetry)}.{nameof(GrpcRetryPolicy.Attempts)}: must be 0 or more, got {GrpcRetry.Attempts}");
        }

        foreach (var condition in GrpcRetry.RetryOn.Split(',', StringSplitOptions.TrimEntries))
        {
            if (condition is "unavailable" or "cancelled")
            {
                errors.Add($"{nameof(GrpcRetry)}.{nameof(GrpcRetryPolicy.RetryOn)}: '{condition}' multiplies traffic to a failing gRPC service; leave it out");
            }
        }

        if (GrpcRetry.PerTryTimeout is { } t && t < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{nameof(GrpcRetry)}.{nameof(GrpcRetryPolicy.PerTryTimeout)}: must be at least 1ms (Istio's rule)");
        }

        return errors;
    }
}

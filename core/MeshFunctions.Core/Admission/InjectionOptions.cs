using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Admission;

/// <summary>How <see cref="WorkloadMutator"/> prepares workloads for Istio's sidecar injector.</summary>
public sealed class InjectionOptions
{
    /// <summary>
    /// The Istio control-plane revision. Null (the default) means an install without revisions:
    /// opted-in pods get <c>sidecar.istio.io/inject: "true"</c>. With a revision they get
    /// <c>istio.io/rev: &lt;revision&gt;</c> instead, so moving to a new control plane is a configuration change.
    /// </summary>
    public string? Revision { get; set; }

    /// <summary>
    /// Merge <c>holdApplicationUntilProxyStarts: true</c> into <c>proxy.istio.io/config</c> and add the proxy
    /// <c>postStart</c> <c>pilot-agent wait</c> (regular-container shape only). Default true.
    /// </summary>
    public bool HoldApplicationUntilProxyStarts { get; set; } = true;

    /// <summary>How much longer than the longest application <c>preStop</c> the proxy's <c>preStop</c> sleeps. Default 5 s (app 30 s → proxy 35 s).</summary>
    public int PreStopMarginSeconds { get; set; } = 5;

    /// <summary>
    /// The proxy <c>preStop</c> used when an application <c>preStop</c> has no readable duration (httpGet, tcpSocket,
    /// a script without <c>sleep</c>). Default 35 s.
    /// </summary>
    public int DefaultProxyPreStopSeconds { get; set; } = 35;

    /// <summary>
    /// <c>terminationDrainDuration</c> written into <c>proxy.istio.io/config</c> when the pod sets none: after the
    /// proxy's preStop the agent drains this long, so the grace period must cover preStop + drain. Default 5 s (Istio's default).
    /// </summary>
    public int TerminationDrainSeconds { get; set; } = 5;

    /// <summary>
    /// Write the proxy preStop as the Kubernetes <c>sleep</c> action (<c>preStop.sleep.seconds</c>, Kubernetes ≥ 1.30) instead of
    /// <c>exec: [sleep, N]</c>. Needed for distroless proxy images, which have no <c>sleep</c> binary. Default false.
    /// </summary>
    public bool UseSleepAction { get; set; }

    /// <summary>Which proxy shape to prepare. Default <see cref="NativeSidecarMode.Auto"/>.</summary>
    public NativeSidecarMode NativeSidecars { get; set; } = NativeSidecarMode.Auto;

    /// <summary>
    /// Locality (<c>region.zone[.subzone]</c>) per node pool, for pods that no Service selects. The pool comes from
    /// <see cref="MutationContext.NodePool"/> or from the pod's <c>nodeSelector[<see cref="NodePoolLabel"/>]</c>.
    /// </summary>
    public IDictionary<string, string> NodePoolLocalities { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The node label that names a node pool, read from a pod's <c>nodeSelector</c>. Default <c>node-pool</c>.</summary>
    public string NodePoolLabel { get; set; } = "node-pool";

    /// <summary>The locality used when neither the node pool nor node labels give one; null (the default) means none.</summary>
    public string? DefaultLocality { get; set; }

    /// <summary>Every configuration error at once; empty when the options are usable.</summary>
    public IReadOnlyList<Diagnostic> Validate()
    {
        var errors = new List<Diagnostic>();
        if (Revision is not null && !Resources.Names.IsDns1123Label(Revision))
        {
            errors.Add(Diagnostic.Error(nameof(Revision), $"'{Revision}' is not a valid revision (a DNS-1123 label, as Istio requires)"));
        }

        if (PreStopMarginSeconds is < 1 or > 3600)
        {
            errors.Add(Diagnostic.Error(nameof(PreStopMarginSeconds), $"must be between 1 and 3600, got {PreStopMarginSeconds}"));
        }

        if (DefaultProxyPreStopSeconds is < 1 or > 3600)
        {
            errors.Add(Diagnostic.Error(nameof(DefaultProxyPreStopSeconds), $"must be between 1 and 3600, got {DefaultProxyPreStopSeconds}"));
        }

        if (TerminationDrainSeconds is < 0 or > 3600)
        {
            errors.Add(Diagnostic.Error(nameof(TerminationDrainSeconds), $"must be between 0 and 3600, got {TerminationDrainSeconds}"));
        }

        foreach (var (pool, locality) in NodePoolLocalities)
        {
            if (Internal.Locality.Normalize(locality, out var error) is null)
            {
                errors.Add(Diagnostic.Error($"{nameof(NodePoolLocalities)}['{pool}']", error!));
            }
        }

        if (DefaultLocality is not null && Internal.Locality.Normalize(DefaultLocality, out var defaultError) is null)
        {
            errors.Add(Diagnostic.Error(nameof(DefaultLocality), defaultError!));
        }

        return errors;
    }
}

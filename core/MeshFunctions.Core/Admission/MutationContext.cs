namespace MeshFunctions.Core.Admission;

/// <summary>What the mutator needs to know about an object's surroundings; everything is optional.</summary>
public sealed record MutationContext
{
    /// <summary>Labels of the object's namespace (used for warnings when Istio would ignore the pod label).</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; init; }

    /// <summary>
    /// Whether some Service selects the pods. Null means unknown: Jobs, CronJobs and pods owned by a Job are
    /// taken as unselected, everything else as selected.
    /// </summary>
    public bool? SelectedByService { get; init; }

    /// <summary>The node pool the pods run in, when known (looked up in <see cref="InjectionOptions.NodePoolLocalities"/>).</summary>
    public string? NodePool { get; init; }

    /// <summary>
    /// Labels of the node (or node pool template): <c>topology.kubernetes.io/region</c>, <c>topology.kubernetes.io/zone</c>
    /// and <c>topology.istio.io/subzone</c> give a locality when the node pool has none configured.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NodeLabels { get; init; }

    /// <summary>An empty context.</summary>
    public static MutationContext Empty { get; } = new();
}

namespace MeshFunctions.Core.Events;

/// <summary>
/// <c>data</c> of <see cref="MeshEventTypes.Dependency"/>: a mesh workload resolved a target through
/// Discovery, so the target's host belongs in the caller's workload-scoped Sidecar egress. The caller is
/// the workload (its <c>app</c> label value, the key of its Sidecar's <c>workloadSelector</c>) in
/// <see cref="CallerNamespace"/>; the target is a Kubernetes Service. Idempotent: the same pair twice
/// changes nothing.
/// </summary>
/// <param name="CallerNamespace">Namespace of the calling pod.</param>
/// <param name="CallerWorkload">The calling pod's <c>app</c> label value.</param>
/// <param name="TargetNamespace">Namespace of the target Service.</param>
/// <param name="TargetService">Name of the target Service.</param>
public sealed record DependencyEvent(
    string CallerNamespace,
    string CallerWorkload,
    string TargetNamespace,
    string TargetService);

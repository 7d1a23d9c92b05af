namespace MeshFunctions.Core.Discovery;

/// <summary>What Discovery knows about the pod that asked, found by its source IP.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Workload">The pod's <c>app</c> label value (empty when the pod has none).</param>
/// <param name="InMesh">Whether the pod runs with an Istio sidecar (see <see cref="DiscoveryRule.IsPodInMesh"/>).</param>
/// <param name="ResourceVersion">The pod's <c>metadata.resourceVersion</c> as a number (0 when not numeric).</param>
public sealed record CallerState(string Namespace, string Workload, bool InMesh, ulong ResourceVersion);

namespace MeshFunctions.Core.Discovery;

/// <summary>What the Kubernetes caches say about one target service (by Consul name = Service name).</summary>
/// <param name="Namespace">Namespace of the Router / Service.</param>
/// <param name="Name">Name of the Router / Service.</param>
/// <param name="RouterExists">A Router of that name exists in <paramref name="Namespace"/>.</param>
/// <param name="RolledBack">The Router carries the per-service rollback label (<see cref="DiscoveryRule.RollbackLabel"/> = <c>true</c>).</param>
/// <param name="ServiceIp">The Service's ClusterIP; null or <c>None</c> when it has none (headless or absent).</param>
/// <param name="Port">The port to hand out: the Service port matching the Router's <c>spec.port</c>, else the first one; 0 when unknown.</param>
/// <param name="ReadyEndpoints">Ready endpoint addresses over the Service's EndpointSlices.</param>
/// <param name="ChangeVersion">Highest Kubernetes resourceVersion seen for the Router, the Service or its EndpointSlices, deletions included.</param>
public sealed record TargetState(
    string Namespace,
    string Name,
    bool RouterExists,
    bool RolledBack,
    string? ServiceIp,
    int Port,
    int ReadyEndpoints,
    ulong ChangeVersion);

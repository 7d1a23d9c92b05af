namespace MeshFunctions.Discovery.Cluster;

/// <summary>The Kubernetes resources Discovery watches.</summary>
internal enum ResourceKind
{
    Pod,
    Service,
    EndpointSlice,
    Router,
    Switch,

    /// <summary>The state ConfigMap: tombstones shared by every replica and kept across restarts.</summary>
    State,
}

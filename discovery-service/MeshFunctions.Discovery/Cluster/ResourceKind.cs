namespace MeshFunctions.Discovery.Cluster;

/// <summary>The Kubernetes resources Discovery watches.</summary>
internal enum ResourceKind
{
    Pod,
    Service,
    EndpointSlice,
    Router,
    Switch,
}

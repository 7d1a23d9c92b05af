namespace MeshFunctions.Discovery.Cluster;

/// <summary>The parts of a Kubernetes Service Discovery reads.</summary>
internal sealed record ServiceInfo(string? ClusterIp, IReadOnlyList<int> Ports, ulong Version);

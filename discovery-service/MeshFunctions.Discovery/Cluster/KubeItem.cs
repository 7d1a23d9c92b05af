namespace MeshFunctions.Discovery.Cluster;

/// <summary>A watched object reduced to what the caches keep (<see cref="Info"/> null: not relevant, e.g. a pod without IP).</summary>
internal sealed record KubeItem(string Namespace, string Name, string? Version, object? Info);

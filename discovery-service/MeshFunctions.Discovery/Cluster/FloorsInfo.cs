namespace MeshFunctions.Discovery.Cluster;

/// <summary>The version floors stored in the state ConfigMap (<see cref="DiscoveryOptions.StateConfigMap"/>), by cache key.</summary>
internal sealed record FloorsInfo(IReadOnlyDictionary<string, ulong> Floors);

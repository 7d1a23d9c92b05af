namespace MeshFunctions.Discovery.Cluster;

/// <summary>The parts of an EndpointSlice Discovery reads: its Service and how many addresses are ready.</summary>
internal sealed record SliceInfo(string ServiceName, int Ready, ulong Version);

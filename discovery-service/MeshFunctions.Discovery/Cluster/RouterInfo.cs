namespace MeshFunctions.Discovery.Cluster;

/// <summary>The parts of a Router Discovery reads.</summary>
internal sealed record RouterInfo(int Port, bool RolledBack, ulong Version);

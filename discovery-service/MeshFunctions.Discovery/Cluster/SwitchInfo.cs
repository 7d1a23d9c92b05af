namespace MeshFunctions.Discovery.Cluster;

/// <summary>The global rollback switch as its ConfigMap says.</summary>
internal sealed record SwitchInfo(bool GlobalRollback, ulong Version);

namespace MeshFunctions.Rls;

/// <summary>Where the counters are kept.</summary>
public enum RlsBackendKind
{
    /// <summary>In this process: one replica, or limits per pod.</summary>
    InProcess,

    /// <summary>One Redis shared by every replica.</summary>
    Redis,
}

namespace MeshFunctions.Core.Discovery;

/// <summary>Which address Discovery hands a caller for a target.</summary>
public enum AnswerKind
{
    /// <summary>The target's Kubernetes ServiceIP and port (caller and target are both in the mesh).</summary>
    Mesh,

    /// <summary>The target's HAProxy instances from upstream Consul, unchanged.</summary>
    Legacy,

    /// <summary>The global rollback switch is on: upstream Consul's answer, unchanged, for everyone.</summary>
    Proxy,
}

namespace MeshFunctions.Core.Rendering.Internal;

/// <summary>One branch of a Router with every name derived from it, computed once per render.</summary>
internal sealed record RenderBranch(
    string Name,
    string Namespace,
    string ServiceName,
    string Host,
    bool IsMaster,
    IReadOnlyList<RenderVersion> Versions);

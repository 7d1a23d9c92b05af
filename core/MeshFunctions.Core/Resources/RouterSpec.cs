namespace MeshFunctions.Core.Resources;

/// <summary>The desired routing of one service.</summary>
public sealed record RouterSpec
{
    public int Port { get; init; }

    public RouterProtocol Protocol { get; init; } = RouterProtocol.Http;

    public List<RouterSubset> Subsets { get; init; } = [];
}

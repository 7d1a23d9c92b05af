namespace MeshFunctions.Core.Resources;

/// <summary>A reference to a Router in the same namespace.</summary>
public sealed record TargetRef
{
    public string? Kind { get; init; } = Router.KindValue;

    public string Name { get; init; } = string.Empty;
}

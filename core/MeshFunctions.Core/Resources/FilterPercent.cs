namespace MeshFunctions.Core.Resources;

/// <summary>Istio's <c>Percent</c>: <c>{value: 0–100}</c>, fractions allowed.</summary>
public sealed record FilterPercent
{
    public double Value { get; init; }
}

namespace MeshFunctions.Core.Resources;

/// <summary>Istio fault <c>delay</c>: hold <see cref="Percentage"/> of requests for <see cref="FixedDelay"/>.</summary>
public sealed record FilterFaultDelay
{
    public string? FixedDelay { get; init; }

    public FilterPercent? Percentage { get; init; }
}

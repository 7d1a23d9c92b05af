namespace MeshFunctions.Core.Resources;

/// <summary>Istio fault <c>abort</c>: answer <see cref="Percentage"/> of requests with an error status.</summary>
public sealed record FilterFaultAbort
{
    public int? HttpStatus { get; init; }

    /// <summary>gRPC status name such as <c>UNAVAILABLE</c>.</summary>
    public string? GrpcStatus { get; init; }

    public FilterPercent? Percentage { get; init; }
}

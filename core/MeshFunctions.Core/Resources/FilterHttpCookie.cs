namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>ConsistentHashLB.HTTPCookie</c>.</summary>
public sealed record FilterHttpCookie
{
    public string? Name { get; init; }

    public string? Path { get; init; }

    public string? Ttl { get; init; }
}

namespace MeshFunctions.Core.Resources;

/// <summary>Which requests a RateLimit counts; all header conditions must hold.</summary>
public sealed record RateLimitMatch
{
    public List<RateLimitHeaderMatch> Headers { get; init; } = [];
}

namespace MeshFunctions.Core.Resources;

/// <summary>One request header condition of a RateLimit (<c>:path</c> and other pseudo-headers allowed).</summary>
public sealed record RateLimitHeaderMatch
{
    public string Key { get; init; } = string.Empty;

    public HeaderMatchType MatchType { get; init; } = HeaderMatchType.Exact;

    public string? Value { get; init; }
}

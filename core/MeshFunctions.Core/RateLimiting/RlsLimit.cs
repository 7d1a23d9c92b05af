using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>One limit: <see cref="RequestsPerUnit"/> per <see cref="Unit"/>, counted with <see cref="Algorithm"/>.</summary>
public sealed record RlsLimit
{
    public RateLimitUnit Unit { get; init; } = RateLimitUnit.SECOND;

    public uint RequestsPerUnit { get; init; }

    /// <summary>Never limits (envoyproxy/ratelimit <c>unlimited: true</c>); still matches, so it can shadow wildcards.</summary>
    public bool Unlimited { get; init; }

    /// <summary>Optional name, used in metrics and by <see cref="Replaces"/> of other limits.</summary>
    public string? Name { get; init; }

    /// <summary>Names of other limits this one replaces when both match one request.</summary>
    public IReadOnlyList<string> Replaces { get; init; } = [];

    public RlsAlgorithm Algorithm { get; init; } = RlsAlgorithm.FixedWindow;
}

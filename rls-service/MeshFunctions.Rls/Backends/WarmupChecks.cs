using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Backends;

/// <summary>Throw-away counters, one per algorithm, that warm-up runs through a backend's real check path.</summary>
internal static class WarmupChecks
{
    /// <summary>Key prefix of warm-up counters; no request can produce it (request keys start with the domain and <c>_</c>).</summary>
    public const string KeyPrefix = "\u0000rls-warmup:";

    public static CounterCheck[] Create() =>
    [
        new(KeyPrefix + "fixed", RlsAlgorithm.FixedWindow, 1_000_000, 1000, 1),
        new(KeyPrefix + "sliding", RlsAlgorithm.SlidingWindow, 1_000_000, 1000, 1),
        new(KeyPrefix + "bucket", RlsAlgorithm.TokenBucket, 1_000_000, 1000, 1),
    ];
}

using Envoy.Service.Ratelimit.V3;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Rls.Observability;

namespace MeshFunctions.Rls.Configuration;

/// <summary>One limit ready for the hot path: window length, wire unit and metric children precomputed.</summary>
internal sealed class CompiledLimit
{
    public CompiledLimit(RlsLimit limit, int index, RuleMetrics? metrics)
    {
        Name = limit.Name;
        RequestsPerUnit = limit.RequestsPerUnit;
        Unit = limit.Unit;
        Unlimited = limit.Unlimited;
        Replaces = [.. limit.Replaces];
        Algorithm = limit.Algorithm;
        WindowMs = WindowSeconds(limit.Unit) * 1000;
        ResponseUnit = ToResponseUnit(limit.Unit);
        KeySuffix = index == 0 && limit.Algorithm == RlsAlgorithm.FixedWindow
            ? string.Empty
            : $"#{index}{(char)('f' + (int)limit.Algorithm)}_";
        Metrics = metrics;
    }

    public string? Name { get; }

    public uint RequestsPerUnit { get; }

    public RateLimitUnit Unit { get; }

    public bool Unlimited { get; }

    public string[] Replaces { get; }

    public RlsAlgorithm Algorithm { get; }

    public long WindowMs { get; }

    public RateLimitResponse.Types.RateLimit.Types.Unit ResponseUnit { get; }

    /// <summary>
    /// Appended to the counter key. Empty for the first fixed-window limit of a node so that its Redis
    /// key is the same as envoyproxy/ratelimit's (counters carry over during a migration).
    /// </summary>
    public string KeySuffix { get; }

    /// <summary>Null for request overrides and detailed metrics (labels resolved per request).</summary>
    public RuleMetrics? Metrics { get; }

    /// <summary>envoyproxy/ratelimit's dividers: a month is 30 days, a year 365 days.</summary>
    public static long WindowSeconds(RateLimitUnit unit) => unit switch
    {
        RateLimitUnit.SECOND => 1,
        RateLimitUnit.MINUTE => 60,
        RateLimitUnit.HOUR => 3600,
        RateLimitUnit.DAY => 86400,
        RateLimitUnit.WEEK => 604800,
        RateLimitUnit.MONTH => 2592000,
        RateLimitUnit.YEAR => 31536000,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown unit"),
    };

    public static RateLimitResponse.Types.RateLimit.Types.Unit ToResponseUnit(RateLimitUnit unit) => unit switch
    {
        RateLimitUnit.SECOND => RateLimitResponse.Types.RateLimit.Types.Unit.Second,
        RateLimitUnit.MINUTE => RateLimitResponse.Types.RateLimit.Types.Unit.Minute,
        RateLimitUnit.HOUR => RateLimitResponse.Types.RateLimit.Types.Unit.Hour,
        RateLimitUnit.DAY => RateLimitResponse.Types.RateLimit.Types.Unit.Day,
        RateLimitUnit.WEEK => RateLimitResponse.Types.RateLimit.Types.Unit.Week,
        RateLimitUnit.MONTH => RateLimitResponse.Types.RateLimit.Types.Unit.Month,
        RateLimitUnit.YEAR => RateLimitResponse.Types.RateLimit.Types.Unit.Year,
        _ => RateLimitResponse.Types.RateLimit.Types.Unit.Unknown,
    };
}

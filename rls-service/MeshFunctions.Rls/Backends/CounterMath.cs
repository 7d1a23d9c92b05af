using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// The locked algorithms on one <see cref="CounterState"/> (fixed windows are lock-free, in
/// <see cref="InProcessBackend"/>); the Redis script implements the same rules. Sliding window:
/// previous window weighted by its remaining overlap plus the current one; rejected hits are not counted. Token bucket: capacity = limit, refilled continuously
/// at limit per window, starting full; rejected hits take no tokens.
/// </summary>
internal static class CounterMath
{
    public static CounterResult Apply(CounterState state, in CounterCheck check, long nowMs) => check.Algorithm switch
    {
        RlsAlgorithm.SlidingWindow => Sliding(state, check, nowMs),
        RlsAlgorithm.TokenBucket => Bucket(state, check, nowMs),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check.Algorithm, "fixed windows are counted lock-free by InProcessBackend"),
    };

    private static void Roll(CounterState state, long start, long window)
    {
        if (state.WindowStart == start)
        {
            return;
        }

        state.PreviousCount = state.WindowStart == start - window ? state.Count : 0;
        state.Count = 0;
        state.WindowStart = start;
        state.ExpiresAt = start + (2 * window);
    }

    private static CounterResult Sliding(CounterState state, in CounterCheck check, long nowMs)
    {
        var window = check.WindowMs;
        var start = nowMs - (nowMs % window);
        Roll(state, start, window);
        var estimate = (state.PreviousCount * (double)(window - (nowMs - start)) / window) + state.Count;
        var reset = start + window - nowMs;
        if (estimate + check.Hits > check.Limit)
        {
            return new CounterResult(false, 0, reset, (long)Math.Ceiling(estimate));
        }

        state.Count += check.Hits;
        return new CounterResult(true, (long)Math.Floor(check.Limit - estimate - check.Hits), reset, (long)Math.Ceiling(estimate + check.Hits));
    }

    private static CounterResult Bucket(CounterState state, in CounterCheck check, long nowMs)
    {
        if (check.Limit == 0)
        {
            return new CounterResult(false, 0, check.WindowMs, check.Hits);
        }

        var rate = (double)check.Limit / check.WindowMs;
        var tokens = double.IsNaN(state.Tokens) ? check.Limit : state.Tokens;
        if (nowMs > state.TokensAt)
        {
            tokens = Math.Min(check.Limit, tokens + ((nowMs - state.TokensAt) * rate));
            state.TokensAt = nowMs;
        }

        var admitted = tokens >= check.Hits;
        if (admitted)
        {
            tokens -= check.Hits;
        }

        state.Tokens = tokens;
        var full = (long)Math.Ceiling((check.Limit - tokens) / rate);
        state.ExpiresAt = nowMs + full + 1000;
        var reset = admitted ? full : (long)Math.Ceiling((check.Hits - tokens) / rate);
        return new CounterResult(admitted, admitted ? (long)Math.Floor(tokens) : 0, reset, check.Limit - (long)Math.Floor(tokens));
    }
}

using System.Globalization;
using MeshFunctions.Core.RateLimiting;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Encoder and decoder of <see cref="RedisScript"/>'s call, side by side. Keys: a fixed window's key is complete,
/// <c>prefix + domain_k_v_ + window start (Unix seconds)</c> — envoyproxy/ratelimit's key, the same in a single Redis and
/// in a cluster, where it lives in the slot of that whole name; a sliding window's or token bucket's key is the base the
/// script derives its keys from, hash-tagged in a cluster (<c>{prefix+domain_k_v_}</c>) so those derived keys stay in its
/// slot (the reference has no such counters, so nothing to be compatible with). Arguments: now (ms), then per check
/// algorithm (0 fixed, 1 sliding, 2 bucket), limit, window ms, hits. Reply: one number per fixed window (the count after
/// the hit), four per other counter (admitted, remaining, reset ms, used).
/// </summary>
internal static class RedisScriptCodec
{
    /// <summary>Script arguments per check after the leading <c>now</c>.</summary>
    public const int ArgumentsPerCheck = 4;

    /// <summary>Script arguments for <paramref name="checks"/> checks.</summary>
    public static int ArgumentCount(int checks) => 1 + (ArgumentsPerCheck * checks);

    /// <summary>Reply values of one check.</summary>
    public static int ReplyWidth(RlsAlgorithm algorithm) => algorithm == RlsAlgorithm.FixedWindow ? 1 : 4;

    /// <summary>Reply values of one check given its algorithm argument as encoded.</summary>
    public static int ReplyWidth(RedisValue encodedAlgorithm) => (int)encodedAlgorithm == 0 ? 1 : 4;

    /// <summary>The Redis key of <paramref name="check"/> for a script run at <paramref name="nowMs"/>.</summary>
    public static string Key(in CounterCheck check, long nowMs, string prefix, bool cluster)
    {
        if (check.Algorithm == RlsAlgorithm.FixedWindow)
        {
            var windowStartSeconds = (nowMs - (nowMs % check.WindowMs)) / 1000;
            return string.Concat(prefix, check.Key, windowStartSeconds.ToString(CultureInfo.InvariantCulture));
        }

        return cluster ? "{" + prefix + check.Key + "}" : prefix + check.Key;
    }

    /// <summary>Writes the keys and arguments of <paramref name="checks"/> from position <paramref name="offset"/>; <c>args[0]</c> is the caller's.</summary>
    public static void Encode(ReadOnlySpan<CounterCheck> checks, RedisKey[] keys, RedisValue[] args, int offset, long nowMs, string prefix, bool cluster)
    {
        for (var i = 0; i < checks.Length; i++)
        {
            keys[offset + i] = Key(checks[i], nowMs, prefix, cluster);
            var b = 1 + (ArgumentsPerCheck * (offset + i));
            args[b] = checks[i].Algorithm switch
            {
                RlsAlgorithm.SlidingWindow => 1,
                RlsAlgorithm.TokenBucket => 2,
                _ => 0,
            };
            args[b + 1] = checks[i].Limit;
            args[b + 2] = checks[i].WindowMs;
            args[b + 3] = checks[i].Hits;
        }
    }

    /// <summary>
    /// Reads the results of <paramref name="checks"/> from <paramref name="values"/> at <paramref name="position"/> for a
    /// script run at <paramref name="nowMs"/>; fixed windows found over their limit go to <paramref name="overLimit"/>.
    /// Returns the position after these checks, or -1 when the reply is missing or short (nothing written).
    /// </summary>
    public static int Decode(long[]? values, int position, long nowMs, ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results, OverLimitCache? overLimit)
    {
        var end = position;
        for (var i = 0; i < checks.Length; i++)
        {
            end += ReplyWidth(checks[i].Algorithm);
        }

        if (values is null || values.Length < end)
        {
            return -1;
        }

        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i].Algorithm == RlsAlgorithm.FixedWindow)
            {
                results[i] = FixedResult(checks[i], values[position++], nowMs, overLimit);
            }
            else
            {
                results[i] = new CounterResult(values[position] == 1, values[position + 1], values[position + 2], values[position + 3]);
                position += 4;
            }
        }

        return position;
    }

    /// <summary>The configured failure answer for every check (Open admits, Closed refuses).</summary>
    public static void Fail(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results, RlsFailureMode mode)
    {
        var admit = mode == RlsFailureMode.Open;
        for (var i = 0; i < checks.Length; i++)
        {
            results[i] = new CounterResult(admit, admit ? checks[i].Limit : 0, checks[i].WindowMs, 0, Failed: true);
        }
    }

    /// <summary>The fixed-window verdict from the count after the hit (the script leaves it to the caller to keep its reply small).</summary>
    private static CounterResult FixedResult(in CounterCheck check, long count, long nowMs, OverLimitCache? overLimit)
    {
        var start = nowMs - (nowMs % check.WindowMs);
        var reset = start + check.WindowMs - nowMs;
        if (count <= check.Limit)
        {
            return new CounterResult(true, check.Limit - count, reset, count);
        }

        overLimit?.Add(check, start, count);
        return new CounterResult(false, 0, reset, count);
    }
}

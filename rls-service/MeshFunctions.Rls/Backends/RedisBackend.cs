using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Counters in Redis: one script call per ShouldRateLimit call (per distinct node in a cluster) whatever the number of
/// descriptors, concurrent calls merged into one script call (<see cref="RlsOptions.RedisBatching"/>). With
/// <see cref="RlsOptions.RedisPerSecondConfiguration"/>, counters of per-second limits go to that second Redis and the
/// others to the main one, both in parallel (envoyproxy/ratelimit's <c>REDIS_PERSECOND</c>). Fixed windows known over
/// their limit are answered from the local over-limit cache. With <see cref="RlsOptions.StopCacheKeyIncrementWhenOverLimit"/>
/// a call whose counter is (or would go) over its limit leaves its other counters as they are (the reference's
/// <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c>). Owns its connections and their batchers.
/// </summary>
internal sealed class RedisBackend : IRateLimitBackend, IDisposable
{
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly OverLimitCache? _overLimit;
    private readonly Route _main;
    private readonly Route? _perSecond;
    private int _disposed;

    public RedisBackend(IOptions<RlsOptions> options, RlsMetrics metrics, TimeProvider time, ILogger<RedisBackend> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _overLimit = _options.RedisOverLimitCache ? new OverLimitCache() : null;
        _main = CreateRoute("main", _options.RedisConfiguration, _options.RedisCluster, logger);
        _perSecond = _options.RedisPerSecondConfiguration is { Length: > 0 } perSecond
            ? CreateRoute("per-second", perSecond, _options.RedisPerSecondCluster, logger)
            : null;
    }

    /// <summary>True while a call that timed out is still unanswered on some Redis, so its calls get the failure mode at once.</summary>
    public bool Stalled => _main.Connection.Stalled || _perSecond?.Connection.Stalled == true;

    /// <summary>True while the calls of some Redis are short-circuited to the failure mode.</summary>
    public bool BreakerOpen => _main.Connection.BreakerOpen || _perSecond?.Connection.BreakerOpen == true;

    /// <summary>
    /// Waits for the connections, loads the script and runs the real check path on warm-up counters until five calls in a
    /// row are counted within <see cref="RlsOptions.RedisTimeout"/> (on each Redis).
    /// </summary>
    public async ValueTask<bool> WarmAsync(CancellationToken cancellationToken)
    {
        if (!_main.Connection.IsConnected || _perSecond?.Connection.IsConnected == false)
        {
            return false;
        }

        await _main.Connection.LoadScriptAsync(cancellationToken).ConfigureAwait(false);
        if (_perSecond is not null)
        {
            await _perSecond.Connection.LoadScriptAsync(cancellationToken).ConfigureAwait(false);
        }

        var checks = WarmupChecks.Create();
        var results = new CounterResult[checks.Length];
        var counted = 0;
        for (var attempt = 0; attempt < 50 && counted < 5; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CheckAsync(checks, results, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            counted = results.Any(r => r.Failed) ? 0 : counted + 1;
        }

        return counted >= 5;
    }

    public ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        if (_overLimit is not null && AnswerFromCache(checks.Span, results.Span, nowMs, out var answered))
        {
            return answered == checks.Length ? ValueTask.CompletedTask : CheckRemainingAsync(checks, results, nowMs, cancellationToken);
        }

        return _options.StopCacheKeyIncrementWhenOverLimit && CountsFixedWindows(checks.Span)
            ? CheckStoppingAtLimitAsync(checks, results, nowMs, cancellationToken)
            : SendAsync(checks, results, nowMs, cancellationToken);
    }

    /// <summary>Sends every check to its Redis: per-second limits to the per-second Redis when there is one.</summary>
    private ValueTask SendAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        if (_perSecond is null)
        {
            return _main.SendAsync(checks, results, nowMs, cancellationToken);
        }

        var perSecond = 0;
        foreach (var check in checks.Span)
        {
            perSecond += IsPerSecond(check) ? 1 : 0;
        }

        return perSecond == 0 ? _main.SendAsync(checks, results, nowMs, cancellationToken)
            : perSecond == checks.Length ? _perSecond.SendAsync(checks, results, nowMs, cancellationToken)
            : SendSplitAsync(checks, results, nowMs, cancellationToken);
    }

    /// <summary>A call with counters in both Redis: one script call to each, in parallel.</summary>
    private async ValueTask SendSplitAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var (mainChecks, mainIndexes) = Select(checks.Span, static c => !IsPerSecond(c));
        var (secondChecks, secondIndexes) = Select(checks.Span, IsPerSecond);
        var mainResults = new CounterResult[mainChecks.Length];
        var secondResults = new CounterResult[secondChecks.Length];
        var main = _main.SendAsync(mainChecks, mainResults, nowMs, cancellationToken).AsTask();
        var second = _perSecond!.SendAsync(secondChecks, secondResults, nowMs, cancellationToken).AsTask();
        await Task.WhenAll(main, second).ConfigureAwait(false);
        Scatter(mainResults, mainIndexes, results.Span);
        Scatter(secondResults, secondIndexes, results.Span);
    }

    /// <summary>
    /// STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT, as the reference does it: read the fixed-window counters first (without
    /// counting); when some would go over their limit with this call's hits, only those are incremented and every other
    /// counter of the call is left as it is (answered from its current count); otherwise every counter is incremented.
    /// Two script calls, like the reference's GET then INCRBY pipelines, and like them not one atomic step.
    /// </summary>
    private async ValueTask CheckStoppingAtLimitAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var (fixedChecks, fixedIndexes) = Select(checks.Span, static c => c.Algorithm == RlsAlgorithm.FixedWindow);
        var reads = new CounterCheck[fixedChecks.Length];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = fixedChecks[i] with { Hits = 0 };
        }

        var counts = new CounterResult[reads.Length];
        await SendAsync(reads, counts, nowMs, cancellationToken).ConfigureAwait(false);
        if (counts.Any(c => c.Failed))
        {
            RedisScriptCodec.Fail(checks.Span, results.Span, _options.FailureMode);
            return;
        }

        var wouldExceed = new HashSet<int>();
        for (var j = 0; j < counts.Length; j++)
        {
            if (counts[j].Used + fixedChecks[j].Hits > fixedChecks[j].Limit)
            {
                wouldExceed.Add(fixedIndexes[j]);
            }
        }

        if (wouldExceed.Count == 0)
        {
            await SendAsync(checks, results, nowMs, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendAsync(WithoutHits(checks.Span, keep: wouldExceed.Contains), results, nowMs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fills the results of checks known over the limit; true when at least one was.</summary>
    private bool AnswerFromCache(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results, long nowMs, out int answered)
    {
        answered = 0;
        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i].Algorithm == RlsAlgorithm.FixedWindow && _overLimit!.TryGet(checks[i], nowMs, out results[i]))
            {
                answered++;
            }
        }

        if (answered > 0)
        {
            _metrics.OverLimitLocalCache.Inc(answered);
        }

        return answered > 0;
    }

    /// <summary>
    /// Sends only the checks the local cache did not answer (rare: some counters of one call over, some not). With
    /// STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT they are only read: the call is over its limit already.
    /// </summary>
    private async ValueTask CheckRemainingAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var (remaining, pending) = Select(checks.Span, c => c.Algorithm != RlsAlgorithm.FixedWindow || !_overLimit!.TryGet(c, nowMs, out _));
        if (_options.StopCacheKeyIncrementWhenOverLimit)
        {
            remaining = WithoutHits(remaining, keep: static _ => false);
        }

        var own = new CounterResult[remaining.Length];
        await SendAsync(remaining, own, nowMs, cancellationToken).ConfigureAwait(false);
        Scatter(own, pending, results.Span);
    }

    private Route CreateRoute(string name, string configuration, bool cluster, ILogger logger)
    {
        var connection = new RedisConnection(name, configuration, cluster, _options, _overLimit, _metrics, _time, logger, OnBreakerChanged);
        var batcher = _options.RedisBatching ? new RedisBatcher(connection, _options.RedisMaxBatchesInFlight, _options.RedisMaxQueuedCalls, _metrics) : null;
        return new Route(connection, batcher);
    }

    private void OnBreakerChanged() =>
        _metrics.BreakerOpen.Set(_main.Connection.BreakerNotClosed || _perSecond?.Connection.BreakerNotClosed == true ? 1 : 0);

    /// <summary>envoyproxy/ratelimit sends limits of unit SECOND to the per-second Redis; our window of one second is that unit.</summary>
    private static bool IsPerSecond(CounterCheck check) => check.WindowMs == 1000;

    private static bool CountsFixedWindows(ReadOnlySpan<CounterCheck> checks)
    {
        foreach (var check in checks)
        {
            if (check.Algorithm == RlsAlgorithm.FixedWindow && check.Hits > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static (CounterCheck[] Checks, int[] Indexes) Select(ReadOnlySpan<CounterCheck> checks, Func<CounterCheck, bool> predicate)
    {
        var selected = new List<CounterCheck>(checks.Length);
        var indexes = new List<int>(checks.Length);
        for (var i = 0; i < checks.Length; i++)
        {
            if (predicate(checks[i]))
            {
                selected.Add(checks[i]);
                indexes.Add(i);
            }
        }

        return ([.. selected], [.. indexes]);
    }

    /// <summary>A copy of <paramref name="checks"/> where only those at the indexes <paramref name="keep"/> accepts still count their hits.</summary>
    private static CounterCheck[] WithoutHits(ReadOnlySpan<CounterCheck> checks, Func<int, bool> keep)
    {
        var copy = checks.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (!keep(i))
            {
                copy[i] = copy[i] with { Hits = 0 };
            }
        }

        return copy;
    }

    private static void Scatter(CounterResult[] from, int[] indexes, Span<CounterResult> to)
    {
        for (var j = 0; j < indexes.Length; j++)
        {
            to[indexes[j]] = from[j];
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Batchers first: they answer their queued calls through the still-open connections.
        _main.Batcher?.Dispose();
        _perSecond?.Batcher?.Dispose();
        _main.Connection.Dispose();
        _perSecond?.Connection.Dispose();
    }

    /// <summary>One Redis and, when calls are batched, its batcher.</summary>
    private sealed record Route(RedisConnection Connection, RedisBatcher? Batcher)
    {
        public ValueTask SendAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken) =>
            Batcher is not null
                ? new ValueTask(Batcher.CheckAsync(new RedisCallSlot(checks, results, nowMs)))
                : Connection.CheckAsync(checks, results, nowMs, cancellationToken);
    }
}

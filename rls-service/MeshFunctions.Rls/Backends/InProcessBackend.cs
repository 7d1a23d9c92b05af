using System.Collections.Concurrent;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Counters in this process: a concurrent map of small per-key states. Expired states are swept
/// periodically so memory follows the set of live keys, not every key ever seen. The map is bounded by
/// <see cref="RlsOptions.MaxInProcessCounters"/>: a new key that finds it full first sweeps expired counters and,
/// if that frees too little, evicts the live counters closest to expiry until a tenth of the bound is free
/// (<c>rls_inprocess_counter_evictions_total</c>). An evicted counter starts again from zero, so its key may be
/// admitted up to one more limit's worth in the window it was evicted from.
/// </summary>
internal sealed class InProcessBackend : IRateLimitBackend, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, CounterState> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly int _max;
    private readonly RlsMetrics? _metrics;
    private readonly Lock _evictLock = new();
    private int _count;

    public InProcessBackend(TimeProvider time)
        : this(time, int.MaxValue, null)
    {
    }

    [ActivatorUtilitiesConstructor]
    public InProcessBackend(TimeProvider time, IOptions<RlsOptions> options, RlsMetrics metrics)
        : this(time, options.Value.MaxInProcessCounters, metrics)
    {
    }

    internal InProcessBackend(TimeProvider time, int maxCounters, RlsMetrics? metrics)
    {
        _time = time;
        _max = maxCounters;
        _metrics = metrics;
        metrics?.Registry.AddBeforeCollectCallback(() => metrics.InProcessCounters.Set(Count));
        _sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>Counters held (maintained on add and remove; <c>ConcurrentDictionary.Count</c> would take every lock).</summary>
    public int Count => Volatile.Read(ref _count);

    public ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var input = checks.Span;
        var output = results.Span;
        for (var i = 0; i < input.Length; i++)
        {
            while (true)
            {
                var state = GetOrAdd(input[i].Key, nowMs);
                if (input[i].Algorithm == RlsAlgorithm.FixedWindow)
                {
                    output[i] = FixedLockFree(state, input[i], nowMs);

                    // Swept meanwhile: the hit landed on a dropped state; count it again on the fresh one.
                    if (state.Removed)
                    {
                        continue;
                    }

                    break;
                }

                lock (state)
                {
                    // Swept between the lookup and the lock: take the fresh state instead.
                    if (state.Removed)
                    {
                        continue;
                    }

                    output[i] = CounterMath.Apply(state, input[i], nowMs);
                    break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The default algorithm without a lock: a hot key is hit by every request, and a lock holder that
    /// gets descheduled on a busy node would stall all of them. A hit that races with the window change
    /// may count in the window that just ended, which is the window it arrived in.
    /// </summary>
    private static CounterResult FixedLockFree(CounterState state, in CounterCheck check, long nowMs)
    {
        var start = nowMs - (nowMs % check.WindowMs);
        var window = Volatile.Read(ref state.Window);
        while (window is null || window.Start < start)
        {
            var fresh = new FixedWindowCounter(start);
            var seen = Interlocked.CompareExchange(ref state.Window, fresh, window);
            if (seen == window)
            {
                window = fresh;
                state.ExpiresAt = start + (2 * check.WindowMs);
                break;
            }

            window = seen;
        }

        // A caller whose clock reading is older than the current window counts in the current one.
        var used = Interlocked.Add(ref window.Count, check.Hits);
        var reset = Math.Max(0, window.Start + check.WindowMs - nowMs);
        return used > check.Limit
            ? new CounterResult(false, 0, reset, used)
            : new CounterResult(true, check.Limit - used, reset, used);
    }

    public ValueTask<bool> WarmAsync(CancellationToken cancellationToken)
    {
        var checks = WarmupChecks.Create();
        var results = new CounterResult[checks.Length];
        for (var i = 0; i < 20; i++)
        {
            _ = CheckAsync(checks, results, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }

        foreach (var check in checks)
        {
            if (_counters.TryGetValue(check.Key, out var state))
            {
                lock (state)
                {
                    Remove(check.Key, state);
                }
            }
        }

        return ValueTask.FromResult(true);
    }

    public void Sweep() => Sweep(_time.GetUtcNow().ToUnixTimeMilliseconds());

    private void Sweep(long now)
    {
        foreach (var (key, state) in _counters)
        {
            if (state.ExpiresAt < now)
            {
                // A racing call may just have revived it; removing only the same instance keeps that call's hit.
                lock (state)
                {
                    if (state.ExpiresAt < now)
                    {
                        Remove(key, state);
                    }
                }
            }
        }
    }

    private CounterState GetOrAdd(string key, long nowMs)
    {
        while (true)
        {
            if (_counters.TryGetValue(key, out var state))
            {
                return state;
            }

            if (Count >= _max)
            {
                MakeRoom(nowMs);
            }

            var fresh = new CounterState();
            if (_counters.TryAdd(key, fresh))
            {
                Interlocked.Increment(ref _count);
                return fresh;
            }
        }
    }

    /// <summary>
    /// One caller at a time sweeps, then evicts the soonest-expiring live counters down to 90 % of the bound; the others
    /// wait for it (rather than adding past the bound meanwhile) and find room when it is done.
    /// </summary>
    private void MakeRoom(long nowMs)
    {
        _evictLock.Enter();
        try
        {
            if (Count < _max)
            {
                return;
            }

            Sweep(nowMs);
            var target = _max - Math.Max(1, _max / 10);
            var excess = Count - target;
            if (excess <= 0)
            {
                return;
            }

            var snapshot = _counters.ToArray();
            Array.Sort(snapshot, static (a, b) => a.Value.ExpiresAt.CompareTo(b.Value.ExpiresAt));
            var evicted = 0;
            for (var i = 0; i < snapshot.Length && evicted < excess; i++)
            {
                var (key, state) = snapshot[i];
                lock (state)
                {
                    if (!state.Removed && Remove(key, state))
                    {
                        evicted++;
                    }
                }
            }

            _metrics?.InProcessEvictions.Inc(evicted);
        }
        finally
        {
            _evictLock.Exit();
        }
    }

    private bool Remove(string key, CounterState state)
    {
        state.Removed = true;
        if (_counters.TryRemove(new KeyValuePair<string, CounterState>(key, state)))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    public void Dispose() => _sweeper.Dispose();
}

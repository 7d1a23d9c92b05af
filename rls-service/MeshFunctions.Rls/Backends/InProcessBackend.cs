using System.Collections.Concurrent;
using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Counters in this process: a concurrent map of small per-key states. Expired states are swept
/// periodically so memory follows the set of live keys, not every key ever seen.
/// </summary>
internal sealed class InProcessBackend : IRateLimitBackend, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, CounterState> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public InProcessBackend(TimeProvider time)
    {
        _time = time;
        _sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    public int Count => _counters.Count;

    public ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var input = checks.Span;
        var output = results.Span;
        for (var i = 0; i < input.Length; i++)
        {
            while (true)
            {
                var state = _counters.GetOrAdd(input[i].Key, static _ => new CounterState());
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
            _counters.TryRemove(check.Key, out _);
        }

        return ValueTask.FromResult(true);
    }

    public void Sweep()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (key, state) in _counters)
        {
            if (state.ExpiresAt < now)
            {
                // A racing call may just have revived it; removing only the same instance keeps that call's hit.
                lock (state)
                {
                    if (state.ExpiresAt < now)
                    {
                        state.Removed = true;
                        _counters.TryRemove(new KeyValuePair<string, CounterState>(key, state));
                    }
                }
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}

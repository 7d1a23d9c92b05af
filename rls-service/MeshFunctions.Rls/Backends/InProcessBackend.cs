using System.Collections.Concurrent;

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

namespace MeshFunctions.TestKit.Consul;

/// <summary>
/// Observing blocking queries: how many have parked (waited for a change because their index was current), so a
/// test can make its change once a watcher is known to be waiting instead of guessing with a delay.
/// </summary>
public sealed partial class FakeConsul
{
    private readonly object _parkedGate = new();
    private long _parkedTotal;
    private TaskCompletionSource _parkedChanged = NewSignal();

    /// <summary>Blocking queries that parked since start (a query counts once, however often it re-checks).</summary>
    public long ParkedTotal => Interlocked.Read(ref _parkedTotal);

    /// <summary>Completes once <see cref="ParkedTotal"/> reaches <paramref name="count"/>.</summary>
    public async Task WaitForParkedAsync(long count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_parkedGate)
            {
                if (_parkedTotal >= count)
                {
                    return;
                }

                changed = _parkedChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void OnParked()
    {
        TaskCompletionSource signal;
        lock (_parkedGate)
        {
            Interlocked.Increment(ref _parkedTotal);
            signal = _parkedChanged;
            _parkedChanged = NewSignal();
        }

        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

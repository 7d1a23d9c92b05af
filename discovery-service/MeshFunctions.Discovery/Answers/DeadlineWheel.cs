using System.Collections.Concurrent;
using MeshFunctions.Discovery.Cluster;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// The wait deadlines of every blocked query on one timer: a deadline is rounded up to the next slot
/// (<see cref="Slot"/>), and the waiters whose deadline falls in the same slot share one <see cref="WaitList"/>.
/// 10,000 watchers cost a list entry each (removed in O(1) when a change wakes them first) instead of a timer and a
/// linked cancellation source each. A wait may end up to one slot late, which Consul's own jitter (up to wait/16)
/// already allows.
/// </summary>
internal sealed class DeadlineWheel : IDisposable
{
    public static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, WaitList> _slots = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public DeadlineWheel(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Tick(), null, Slot, Slot);
    }

    /// <summary>Slots waiting now (for tests and metrics).</summary>
    public int Pending => _slots.Count;

    /// <summary>
    /// Completes <paramref name="waiter"/> with 0 once <paramref name="deadline"/> has passed (at the end of its slot);
    /// null when it has passed already (the waiter is completed now), else the link that unregisters it.
    /// </summary>
    public WaitLink? At(DateTimeOffset deadline, TaskCompletionSource<long> waiter)
    {
        var slot = (deadline.UtcTicks + Slot.Ticks - 1) / Slot.Ticks;
        if (Due(slot))
        {
            waiter.TrySetResult(0);
            return null;
        }

        var link = _slots.GetOrAdd(slot, static _ => new WaitList()).Add(waiter);
        if (Due(slot))
        {
            // A tick may have swept this slot between the check and the add.
            waiter.TrySetResult(0);
        }

        return link;
    }

    public void Dispose() => _timer.Dispose();

    private bool Due(long slot) => slot * Slot.Ticks <= _time.GetUtcNow().UtcTicks;

    private void Tick()
    {
        foreach (var (slot, waiters) in _slots)
        {
            if (Due(slot) && _slots.TryRemove(slot, out _))
            {
                waiters.WakeAll(0);
            }
        }
    }
}

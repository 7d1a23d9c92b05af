using System.Collections.Concurrent;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// The wait deadlines of every blocked query on one timer: a deadline is rounded up to the next slot
/// (<see cref="Slot"/>), and all waiters whose deadline falls in the same slot share one task. 10,000 watchers cost
/// a dictionary entry per distinct slot instead of a timer and a linked cancellation source each. A wait may end up
/// to one slot late, which Consul's own jitter (up to wait/16) already allows.
/// </summary>
internal sealed class DeadlineWheel : IDisposable
{
    public static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, TaskCompletionSource> _slots = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public DeadlineWheel(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Tick(), null, Slot, Slot);
    }

    /// <summary>Slots waiting now (for tests and metrics).</summary>
    public int Pending => _slots.Count;

    /// <summary>A task that completes once <paramref name="deadline"/> has passed (at the end of its slot).</summary>
    public Task At(DateTimeOffset deadline)
    {
        var slot = (deadline.UtcTicks + Slot.Ticks - 1) / Slot.Ticks;
        if (Due(slot))
        {
            return Task.CompletedTask;
        }

        var waiter = _slots.GetOrAdd(slot, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Due(slot))
        {
            // A tick may have swept this slot between the check and the add.
            waiter.TrySetResult();
        }

        return waiter.Task;
    }

    public void Dispose() => _timer.Dispose();

    private bool Due(long slot) => slot * Slot.Ticks <= _time.GetUtcNow().UtcTicks;

    private void Tick()
    {
        foreach (var (slot, waiter) in _slots)
        {
            if (Due(slot) && _slots.TryRemove(slot, out _))
            {
                waiter.TrySetResult();
            }
        }
    }
}

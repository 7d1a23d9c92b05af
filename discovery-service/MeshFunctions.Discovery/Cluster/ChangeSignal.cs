using System.Diagnostics;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// A wake-up for blocked queries: <see cref="Current"/> completes at the next <see cref="Fire"/>. Waiters take
/// the task first, then read the state, so no change between the two is missed. The completed task carries the
/// <see cref="Stopwatch"/> timestamp of the fire (<see cref="FiredAt"/>), so the time from a change to each woken
/// watcher's answer can be measured (<c>discovery_wake_seconds</c>).
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource<long> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _next).Task;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which a signal's task fired, or 0 for any other task.</summary>
    public static long FiredAt(Task task) => task is Task<long> { IsCompletedSuccessfully: true } fired ? fired.Result : 0;

    public void Fire() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(Stopwatch.GetTimestamp());
}

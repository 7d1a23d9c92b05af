namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// A wake-up for blocked queries: <see cref="Current"/> completes at the next <see cref="Fire"/>. Waiters take
/// the task first, then read the state, so no change between the two is missed.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _next).Task;

    public void Fire() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

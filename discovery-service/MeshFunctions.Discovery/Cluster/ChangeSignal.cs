using System.Diagnostics;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// A wake-up for blocked queries: a registered waiter completes at the next <see cref="Fire"/> with the
/// <see cref="Stopwatch"/> timestamp of the fire, so the time from a change to each woken watcher's answer can be
/// measured (<c>discovery_wake_seconds</c>). Waiters register first, then read the state, so no change between the
/// two is missed.
/// </summary>
internal sealed class ChangeSignal
{
    private readonly WaitList _waiters = new();

    /// <summary>Waiters registered now.</summary>
    public int Waiting => _waiters.Count;

    /// <summary>Completes <paramref name="waiter"/> at the next <see cref="Fire"/>; dispose the link to stop waiting.</summary>
    public WaitLink Register(TaskCompletionSource<long> waiter) => _waiters.Add(waiter);

    public void Fire() => _waiters.WakeAll(Stopwatch.GetTimestamp());
}

namespace MeshFunctions.Discovery.Cluster;

/// <summary>One waiter's place in a <see cref="WaitList"/>; disposing it unregisters the waiter (a no-op once woken).</summary>
internal sealed class WaitLink : IDisposable
{
    private readonly WaitList _list;

    public WaitLink(WaitList list, TaskCompletionSource<long> waiter)
    {
        _list = list;
        Waiter = waiter;
    }

    public TaskCompletionSource<long> Waiter { get; }

    // Guarded by the list's lock.
    internal WaitLink? Next { get; set; }

    internal WaitLink? Previous { get; set; }

    internal bool Linked { get; set; }

    public void Dispose() => _list.Remove(this);
}

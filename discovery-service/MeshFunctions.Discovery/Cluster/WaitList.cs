namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// Blocked queries waiting for one event (a change signal, a deadline slot): an intrusive list where adding and removing
/// a waiter are O(1) under a lock held for a few instructions, and <see cref="WakeAll"/> detaches the whole list at once
/// and completes every waiter outside the lock. It replaces a shared <see cref="Task"/> awaited with
/// <c>Task.WhenAny</c>, whose continuation list every woken watcher had to search and lock to unregister from the
/// signals that did not fire (10,000 watchers contending on one list per change).
/// </summary>
internal sealed class WaitList
{
    private readonly Lock _gate = new();
    private WaitLink? _head;

    /// <summary>Waiters registered now.</summary>
    public int Count { get; private set; }

    /// <summary>Registers <paramref name="waiter"/>; dispose the link to unregister it.</summary>
    public WaitLink Add(TaskCompletionSource<long> waiter)
    {
        var link = new WaitLink(this, waiter);
        lock (_gate)
        {
            link.Next = _head;
            if (_head is not null)
            {
                _head.Previous = link;
            }

            _head = link;
            link.Linked = true;
            Count++;
        }

        return link;
    }

    /// <summary>Completes every registered waiter with <paramref name="value"/> and empties the list.</summary>
    public void WakeAll(long value)
    {
        WaitLink? first;
        lock (_gate)
        {
            first = _head;
            _head = null;
            Count = 0;
            for (var link = first; link is not null; link = link.Next)
            {
                link.Linked = false;
            }
        }

        for (var link = first; link is not null; link = link.Next)
        {
            link.Waiter.TrySetResult(value);
        }
    }

    internal void Remove(WaitLink link)
    {
        lock (_gate)
        {
            if (!link.Linked)
            {
                return;
            }

            if (link.Previous is not null)
            {
                link.Previous.Next = link.Next;
            }
            else
            {
                _head = link.Next;
            }

            if (link.Next is not null)
            {
                link.Next.Previous = link.Previous;
            }

            link.Linked = false;
            link.Next = null;
            link.Previous = null;
            Count--;
        }
    }
}

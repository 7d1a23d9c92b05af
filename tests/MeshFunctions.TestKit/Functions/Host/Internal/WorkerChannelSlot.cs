namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>The channel of the current worker process: replaced when the host restarts a worker that died.</summary>
internal sealed class WorkerChannelSlot(WorkerChannel initial)
{
    private volatile WorkerChannel _current = initial;

    public WorkerChannel Current
    {
        get => _current;
        set => _current = value;
    }
}

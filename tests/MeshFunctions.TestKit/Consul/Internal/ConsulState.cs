using System.Security.Cryptography;
using System.Text;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// The fake cluster's data and Raft-like indexes. Every write takes the next index, moves the table
/// and per-service indexes the way Consul's state store does, and wakes blocked readers.
/// All members are guarded by one lock; readers get immutable records.
/// </summary>
internal sealed partial class ConsulState
{
    private readonly object _gate = new();
    private readonly Dictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Id), ServiceEntry> _services = [];
    private readonly Dictionary<(string Node, string CheckId), CheckEntry> _checks = [];

    // Consul's memdb indexes service names lower-cased, so lookups ignore case.
    private readonly Dictionary<string, ulong> _serviceIndexes = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _changed = NewSignal();
    private ulong _raftIndex;
    private ulong _nodesTableIndex;
    private ulong _servicesTableIndex;
    private ulong _checksTableIndex;

    public ConsulState(string datacenter, string version)
    {
        Datacenter = datacenter;
        Version = version;
    }

    public string Datacenter { get; }

    public string Version { get; }

    /// <summary>The last index handed out (0 before the first write).</summary>
    public ulong RaftIndex
    {
        get
        {
            lock (_gate)
            {
                return _raftIndex;
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> under the lock and returns its result with the signal of the next change.</summary>
    public (T Result, Task Changed) Read<T>(Func<ConsulState, T> read)
    {
        lock (_gate)
        {
            return (read(this), _changed.Task);
        }
    }

    /// <summary>A stable node id derived from the node name, so fixtures give the same answers every run.</summary>
    public static string NodeIdFor(string node)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(node));
        return new Guid(hash).ToString();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static ulong AtLeastOne(ulong index) => index == 0 ? 1 : index;

    private ulong NextIndex() => ++_raftIndex;

    private void SignalChange()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }
}

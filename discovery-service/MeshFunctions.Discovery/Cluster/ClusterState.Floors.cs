using System.Threading.Channels;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// Tombstones that outlive the process. A deletion's resourceVersion is seen only by the replicas watching when it
/// happens, so each replica stores the tombstones it learns in the shared state ConfigMap
/// (<see cref="DiscoveryOptions.StateConfigMap"/>, written by <see cref="FloorWriter"/>) and folds that ConfigMap's
/// floors into its own. A replica started or restarted later therefore computes the same, never lower, change version
/// for a target whose objects were deleted, and for the rollback switch after its ConfigMap was deleted.
/// </summary>
internal sealed partial class ClusterState
{
    private readonly Dictionary<string, ulong> _stored = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unstored = new(StringComparer.Ordinal);
    private readonly Channel<bool> _floorsToStore = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _stateSeen;

    /// <summary>Signals that tombstones wait to be stored (one pending signal at most).</summary>
    public ChannelReader<bool> FloorsToStore => _floorsToStore.Reader;

    /// <summary>The tombstones this replica learnt that the state ConfigMap does not hold yet, by cache key.</summary>
    public Dictionary<string, ulong> PendingFloors()
    {
        lock (_lock)
        {
            return _unstored.ToDictionary(k => k, FloorOf, StringComparer.Ordinal);
        }
    }

    /// <summary>Records that <paramref name="written"/> is now in the state ConfigMap.</summary>
    public void MarkStored(IReadOnlyDictionary<string, ulong> written)
    {
        lock (_lock)
        {
            foreach (var (key, floor) in written)
            {
                _stored[key] = Math.Max(floor, _stored.GetValueOrDefault(key));
                if (_stored[key] >= FloorOf(key))
                {
                    _unstored.Remove(key);
                }
            }
        }
    }

    /// <summary>True when the target's live objects already carry a version above <paramref name="floor"/>, so storing it adds nothing.</summary>
    public bool IsRedundant(string key, ulong floor)
    {
        if (key == FloorMap.SwitchKey)
        {
            return false;
        }

        lock (_lock)
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && LiveVersion(key[..slash], key[(slash + 1)..]) > floor;
        }
    }

    private ulong FloorOf(string key) => key == FloorMap.SwitchKey ? _switch.Version : _tombstones.GetValueOrDefault(key);

    private void Tombstone(string key, ulong version)
    {
        _tombstones[key] = Math.Max(_tombstones.GetValueOrDefault(key), version);
        MarkDirtyKey(key);
        RememberToStore(key);
    }

    private void RememberToStore(string key)
    {
        if (FloorOf(key) > _stored.GetValueOrDefault(key) && _unstored.Add(key))
        {
            _floorsToStore.Writer.TryWrite(true);
        }
    }

    /// <summary>The state ConfigMap as listed or watched: its floors raise this replica's tombstones.</summary>
    private void ApplyFloorsLocked(FloorsInfo info)
    {
        _stateSeen = true;
        _stored.Clear();
        foreach (var (key, floor) in info.Floors)
        {
            _stored[key] = floor;
            if (key == FloorMap.SwitchKey)
            {
                _switch = _switch with { Version = Math.Max(_switch.Version, floor) };
            }
            else
            {
                _tombstones[key] = Math.Max(_tombstones.GetValueOrDefault(key), floor);
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                AddName(key[..slash], key[(slash + 1)..]);
            }

            if (floor >= FloorOf(key))
            {
                _unstored.Remove(key);
            }
        }
    }

    /// <summary>The state ConfigMap was deleted: store again every tombstone this replica knows that still matters.</summary>
    private void StateGoneLocked()
    {
        if (!_stateSeen)
        {
            return;
        }

        _stateSeen = false;
        _stored.Clear();
        foreach (var key in _tombstones.Keys.Append(FloorMap.SwitchKey))
        {
            RememberToStore(key);
        }
    }
}

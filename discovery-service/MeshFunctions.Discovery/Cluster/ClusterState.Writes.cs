namespace MeshFunctions.Discovery.Cluster;

/// <summary>Applying watch events and relists. Target names are never forgotten, so a deleted target keeps its tombstone version.</summary>
internal sealed partial class ClusterState
{
    /// <summary>Adds or replaces one object (ADDED / MODIFIED).</summary>
    public void Upsert(ResourceKind kind, string ns, string name, object info)
    {
        lock (_lock)
        {
            UpsertLocked(ns, name, info);
            PublishDirtyLocked();
        }

        Changed.Fire();
    }

    /// <summary>Removes one object (DELETED at <paramref name="version"/>).</summary>
    public void Delete(ResourceKind kind, string ns, string name, ulong version)
    {
        lock (_lock)
        {
            DeleteLocked(kind, ns, name, version);
            PublishDirtyLocked();
        }

        Changed.Fire();
    }

    /// <summary>Replaces every object of <paramref name="kind"/> with a fresh list taken at <paramref name="listVersion"/>.</summary>
    public void Replace(ResourceKind kind, IReadOnlyList<(string Namespace, string Name, object Info)> items, ulong listVersion)
    {
        lock (_lock)
        {
            var keep = new HashSet<string>(items.Select(i => Key(i.Namespace, i.Name)), StringComparer.Ordinal);
            foreach (var key in KeysOf(kind).Where(k => !keep.Contains(k)).ToList())
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                DeleteLocked(kind, key[..slash], key[(slash + 1)..], listVersion);
            }

            if (kind == ResourceKind.Switch && items.Count == 0 && _switchPresent)
            {
                // Deleted while the watch was down: the deletion's own version is unknown, the list's is above it.
                DeleteLocked(kind, string.Empty, string.Empty, listVersion);
            }

            if (kind == ResourceKind.State && items.Count == 0)
            {
                StateGoneLocked();
            }

            foreach (var (ns, name, info) in items)
            {
                UpsertLocked(ns, name, info);
            }

            _synced.Add(kind);
            PublishDirtyLocked();
        }

        Changed.Fire();
    }

    private IEnumerable<string> KeysOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Pod => _pods.Keys,
        ResourceKind.Service => _services.Keys,
        ResourceKind.EndpointSlice => _slices.Keys,
        ResourceKind.Router => _routers.Keys,
        _ => [],
    };

    private void UpsertLocked(string ns, string name, object info)
    {
        var key = Key(ns, name);
        switch (info)
        {
            case PodInfo pod:
                if (_pods.TryGetValue(key, out var old) && old.Ip is { } oldIp && oldIp != pod.Ip && _podKeyByIp.GetValueOrDefault(oldIp) == key)
                {
                    _podKeyByIp.Remove(oldIp);
                    SyncCallerLocked(oldIp);
                }

                _pods[key] = pod;
                if (pod.Ip is { } ip)
                {
                    _podKeyByIp[ip] = key;
                    SyncCallerLocked(ip);
                }

                break;
            case RouterInfo router:
                _routers[key] = router;
                AddName(ns, name);
                break;
            case ServiceInfo service:
                _services[key] = service;
                AddName(ns, name);
                break;
            case SliceInfo slice:
                if (_slices.TryGetValue(key, out var previous) && previous.ServiceName != slice.ServiceName)
                {
                    RemoveSlice(ns, name, previous, previous.Version);
                }

                _slices[key] = slice;
                var serviceKey = Key(ns, slice.ServiceName);
                if (!_slicesByService.TryGetValue(serviceKey, out var set))
                {
                    _slicesByService[serviceKey] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(name);
                MarkDirty(slice.ServiceName);
                break;
            case SwitchInfo sw:
                _switch = sw with { Version = Math.Max(sw.Version, _switch.Version) };
                _switchPresent = true;
                break;
            case FloorsInfo floors:
                ApplyFloorsLocked(floors);
                break;
            default:
                throw new ArgumentException($"unexpected cache entry {info.GetType().Name}", nameof(info));
        }

    }

    private void DeleteLocked(ResourceKind kind, string ns, string name, ulong version)
    {
        var key = Key(ns, name);
        switch (kind)
        {
            case ResourceKind.Pod:
                if (_pods.Remove(key, out var pod) && pod.Ip is { } ip && _podKeyByIp.GetValueOrDefault(ip) == key)
                {
                    _podKeyByIp.Remove(ip);
                    SyncCallerLocked(ip);
                }

                break;
            case ResourceKind.Router:
                if (_routers.Remove(key))
                {
                    Tombstone(key, version);
                }

                break;
            case ResourceKind.Service:
                if (_services.Remove(key))
                {
                    Tombstone(key, version);
                }

                break;
            case ResourceKind.EndpointSlice:
                if (_slices.Remove(key, out var slice))
                {
                    RemoveSlice(ns, name, slice, version);
                }

                break;
            case ResourceKind.Switch:
                _switch = new SwitchInfo(false, Math.Max(_switch.Version, version));
                _switchPresent = false;
                RememberToStore(FloorMap.SwitchKey);
                break;
            case ResourceKind.State:
                StateGoneLocked();
                break;
        }
    }

    private void RemoveSlice(string ns, string sliceName, SliceInfo slice, ulong version)
    {
        var serviceKey = Key(ns, slice.ServiceName);
        if (_slicesByService.TryGetValue(serviceKey, out var set))
        {
            set.Remove(sliceName);
        }

        Tombstone(serviceKey, version);
    }

    private void AddName(string ns, string name)
    {
        if (!_namespacesByName.TryGetValue(name, out var set))
        {
            _namespacesByName[name] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(ns);
        MarkDirty(name);
    }
}

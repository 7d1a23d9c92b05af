using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// The watch-fed Kubernetes caches (pods by IP, Routers, Services, EndpointSlices, the rollback switch), written
/// under one lock and read without it (ClusterState.Published.cs). Every change fires <see cref="Changed"/>. A deletion remembers its resourceVersion as the
/// target's tombstone so a target's change version never goes down; tombstones are shared through the state
/// ConfigMap so it does not go down across restarts either (ClusterState.Floors.cs).
/// </summary>
internal sealed partial class ClusterState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _podKeyByIp = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouterInfo> _routers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceInfo> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SliceInfo> _slices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _slicesByService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _namespacesByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<ResourceKind> _synced = [];
    private readonly TimeProvider _time;
    private volatile SwitchInfo _switch = new(false, 0);
    private bool _switchPresent;
    private readonly HashSet<ResourceKind> _failing = [];
    private DateTimeOffset? _disconnectedSince;

    public ClusterState(TimeProvider time) => _time = time;

    public ChangeSignal Changed { get; } = new();

    /// <summary>True once every watched resource has been listed at least once.</summary>
    public bool Synced
    {
        get
        {
            lock (_lock)
            {
                return _synced.Count == Enum.GetValues<ResourceKind>().Length;
            }
        }
    }

    /// <summary>The rollback switch: an immutable value replaced on change, read without the lock.</summary>
    public SwitchInfo Switch => _switch;

    /// <summary>How long the Kubernetes watches have been failing (null while connected); read without the lock.</summary>
    public TimeSpan? Disconnected
    {
        get
        {
            var since = Volatile.Read(ref _disconnectedSinceTicks);
            return since == 0 ? null : _time.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero);
        }
    }

    /// <summary>Records whether the watch of <paramref name="kind"/> works; any failing watch makes the caches last-known-good.</summary>
    public void MarkConnected(ResourceKind kind, bool connected)
    {
        lock (_lock)
        {
            if (connected)
            {
                _failing.Remove(kind);
                if (_failing.Count == 0)
                {
                    _disconnectedSince = null;
                }
            }
            else if (_failing.Add(kind))
            {
                _disconnectedSince ??= _time.GetUtcNow();
            }

            Volatile.Write(ref _disconnectedSinceTicks, _disconnectedSince?.UtcTicks ?? 0);
        }
    }

    /// <summary>The pod with source IP <paramref name="ip"/> computed now under the lock: the reference of <see cref="FindCaller"/>.</summary>
    internal CallerState? FindCallerLocked(string ip)
    {
        lock (_lock)
        {
            return _podKeyByIp.TryGetValue(ip, out var key) && _pods.TryGetValue(key, out var pod) ? pod.Caller : null;
        }
    }

    /// <summary>
    /// The target named <paramref name="name"/> as seen from <paramref name="callerNamespace"/>, computed now under the
    /// lock from the caches themselves: the reference <see cref="FindTarget"/>'s published entries must always equal.
    /// </summary>
    internal TargetState? FindTargetLocked(string name, string? callerNamespace)
    {
        lock (_lock)
        {
            if (!_namespacesByName.TryGetValue(name, out var namespaces) || namespaces.Count == 0)
            {
                return null;
            }

            var candidates = new List<TargetState>(namespaces.Count);
            foreach (var ns in namespaces)
            {
                candidates.Add(BuildTarget(ns, name));
            }

            return DiscoveryRule.PickTarget(candidates, callerNamespace);
        }
    }

    /// <summary>Every target that is in the mesh now (for DNS-free listings and events).</summary>
    public IReadOnlyList<TargetState> Targets()
    {
        lock (_lock)
        {
            var all = new List<TargetState>();
            foreach (var (name, namespaces) in _namespacesByName)
            {
                foreach (var ns in namespaces)
                {
                    all.Add(BuildTarget(ns, name));
                }
            }

            return all;
        }
    }

    private static string Key(string ns, string name) => ns + "/" + name;

    /// <summary>The highest resourceVersion among the target's Router, Service and EndpointSlices (tombstones aside).</summary>
    private ulong LiveVersion(string ns, string name)
    {
        var key = Key(ns, name);
        var version = Math.Max(_routers.GetValueOrDefault(key)?.Version ?? 0, _services.GetValueOrDefault(key)?.Version ?? 0);
        if (_slicesByService.TryGetValue(key, out var slices))
        {
            foreach (var slice in slices)
            {
                if (_slices.TryGetValue(Key(ns, slice), out var info))
                {
                    version = Math.Max(version, info.Version);
                }
            }
        }

        return version;
    }

    private TargetState BuildTarget(string ns, string name)
    {
        var key = Key(ns, name);
        _routers.TryGetValue(key, out var router);
        _services.TryGetValue(key, out var service);
        var version = Math.Max(_tombstones.GetValueOrDefault(key), LiveVersion(ns, name));
        var ready = 0;
        if (_slicesByService.TryGetValue(key, out var slices))
        {
            foreach (var slice in slices)
            {
                if (_slices.TryGetValue(Key(ns, slice), out var info))
                {
                    ready += info.Ready;
                }
            }
        }

        var port = 0;
        if (service is not null && service.Ports.Count > 0)
        {
            port = router is not null && service.Ports.Contains(router.Port) ? router.Port : service.Ports[0];
        }

        return new TargetState(ns, name, router is not null, router?.RolledBack ?? false, service?.ClusterIp, port, ready, version);
    }
}

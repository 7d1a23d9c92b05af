using System.Collections.Concurrent;
using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// The read side of the caches, without the lock: lookups outnumber changes by far, so every write (still under the
/// lock) publishes what lookups need — the caller state by pod IP, each target name's candidates as immutable
/// <see cref="TargetState"/>s, the switch and the disconnection time — and a lookup is one or two dictionary reads.
/// An unchanged target keeps its published objects, so answers cached by reference stay valid across unrelated changes.
/// </summary>
internal sealed partial class ClusterState
{
    private readonly ConcurrentDictionary<string, CallerState> _callerByIp = new(StringComparer.Ordinal);

    // Case-insensitive like _namespacesByName, so a name Kubernetes never had is answered without the lock; an entry
    // built for another casing than the one asked falls back to FindTargetLocked (which keys objects by exact name).
    private readonly ConcurrentDictionary<string, PublishedTarget> _published = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _dirtyNames = new(StringComparer.Ordinal);
    private long _disconnectedSinceTicks;

    /// <summary>The pod with source IP <paramref name="ip"/>, or null when no known pod has it.</summary>
    public CallerState? FindCaller(string? ip) => ip is not null && _callerByIp.TryGetValue(ip, out var caller) ? caller : null;

    /// <summary>The target named <paramref name="name"/> as seen from <paramref name="callerNamespace"/> (see <see cref="DiscoveryRule.PickTarget"/>).</summary>
    public TargetState? FindTarget(string name, string? callerNamespace)
    {
        if (!_published.TryGetValue(name, out var entry))
        {
            return null;
        }

        return string.Equals(entry.Name, name, StringComparison.Ordinal)
            ? DiscoveryRule.PickTarget(entry.Candidates, callerNamespace)
            : FindTargetLocked(name, callerNamespace);
    }

    /// <summary>Records that the target named <paramref name="name"/> may have changed (published at the end of the write).</summary>
    private void MarkDirty(string name) => _dirtyNames.Add(name);

    private void MarkDirtyKey(string key) => MarkDirty(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    /// <summary>Publishes the caller state of <paramref name="ip"/> as the pod caches say now.</summary>
    private void SyncCallerLocked(string ip)
    {
        if (_podKeyByIp.TryGetValue(ip, out var key) && _pods.TryGetValue(key, out var pod))
        {
            _callerByIp[ip] = pod.Caller;
        }
        else
        {
            _callerByIp.TryRemove(ip, out _);
        }
    }

    /// <summary>Rebuilds the published entry of every name a write touched; an entry whose targets are equal is kept as is.</summary>
    private void PublishDirtyLocked()
    {
        foreach (var name in _dirtyNames)
        {
            if (!_namespacesByName.TryGetValue(name, out var namespaces) || namespaces.Count == 0)
            {
                continue;
            }

            var candidates = new TargetState[namespaces.Count];
            var i = 0;
            foreach (var ns in namespaces)
            {
                candidates[i++] = BuildTarget(ns, name);
            }

            if (_published.TryGetValue(name, out var old) && string.Equals(old.Name, name, StringComparison.Ordinal) && Same(old.Candidates, candidates))
            {
                continue;
            }

            _published[name] = new PublishedTarget(name, candidates);
        }

        _dirtyNames.Clear();
    }

    private static bool Same(TargetState[] old, TargetState[] fresh)
    {
        if (old.Length != fresh.Length)
        {
            return false;
        }

        for (var i = 0; i < old.Length; i++)
        {
            if (!old[i].Equals(fresh[i]))
            {
                return false;
            }
        }

        return true;
    }
}

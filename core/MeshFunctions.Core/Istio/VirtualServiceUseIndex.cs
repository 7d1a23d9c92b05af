using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Istio;

/// <summary>
/// The subsets the live VirtualServices use, by destination host: what a DestinationRule change must not take away. Each
/// VirtualService is read once, when the index is built; immutable afterwards, so one index serves concurrent readers (the
/// webhook builds one per cache snapshot, next to its <see cref="DestinationRuleIndex"/>).
/// </summary>
public sealed class VirtualServiceUseIndex
{
    private readonly List<(ObjectId Id, IReadOnlyList<SubsetReference> Uses)> _services = [];
    private readonly Dictionary<string, List<int>> _byHost = new(StringComparer.Ordinal);

    /// <summary>Indexes the subset uses of <paramref name="virtualServices"/> (hosts resolved with <paramref name="clusterDomain"/>).</summary>
    public VirtualServiceUseIndex(IEnumerable<JsonObject> virtualServices, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(virtualServices);
        ClusterDomain = clusterDomain;
        foreach (var vs in virtualServices)
        {
            var uses = SubsetReferences.Collect(vs, clusterDomain);
            if (uses.Count == 0)
            {
                continue;
            }

            var index = _services.Count;
            _services.Add((ObjectId.Of(vs), uses));
            foreach (var use in uses)
            {
                if (!_byHost.TryGetValue(use.Host, out var users))
                {
                    _byHost[use.Host] = users = [];
                }

                if (users.Count == 0 || users[^1] != index)
                {
                    users.Add(index);
                }
            }
        }
    }

    /// <summary>The cluster domain the hosts were resolved with.</summary>
    public string ClusterDomain { get; }

    /// <summary>The used hosts that one of <paramref name="patterns"/> (FQDNs or <c>*.suffix</c>, resolved) matches.</summary>
    internal HashSet<string> HostsMatching(IReadOnlyList<string> patterns)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            if (!pattern.Contains('*', StringComparison.Ordinal))
            {
                if (_byHost.ContainsKey(pattern))
                {
                    hosts.Add(pattern);
                }

                continue;
            }

            foreach (var host in _byHost.Keys)
            {
                if (MeshHosts.Matches(pattern, host))
                {
                    hosts.Add(host);
                }
            }
        }

        return hosts;
    }

    /// <summary>The VirtualServices that use one of <paramref name="hosts"/>, in the order they were indexed.</summary>
    internal IEnumerable<(ObjectId Id, IReadOnlyList<SubsetReference> Uses)> Using(IReadOnlyCollection<string> hosts)
    {
        var indexes = new SortedSet<int>();
        foreach (var host in hosts)
        {
            if (_byHost.TryGetValue(host, out var users))
            {
                indexes.UnionWith(users);
            }
        }

        return indexes.Select(i => _services[i]);
    }
}

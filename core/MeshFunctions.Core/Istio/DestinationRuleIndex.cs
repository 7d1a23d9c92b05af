using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Istio;

/// <summary>
/// The one DestinationRule lookup of MeshFunctions (admission's subset guard, <c>meshctl check</c>, the transition
/// planner), following istiod: for a client in namespace N and host H it looks in N, then the service's namespace, then
/// the root namespace, and at the first namespace with a rule it prefers an exact host over the longest wildcard. Rules
/// at the chosen level are merged (the first definition of a subset wins). A rule is visible to N only if its
/// <c>exportTo</c> allows it: absent or empty and <c>*</c> mean everywhere, <c>.</c> its own namespace, a name that
/// namespace, <c>~</c> nowhere. Immutable once built, so one index can serve concurrent readers (the webhook builds one
/// per cache snapshot).
/// </summary>
public sealed class DestinationRuleIndex
{
    private readonly Dictionary<string, List<Entry>> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>The same entries by namespace and exact (resolved) host, for the common case without a scan.</summary>
    private readonly Dictionary<string, Dictionary<string, List<Entry>>> _byNamespaceAndHost = new(StringComparer.Ordinal);
    /// <summary>Every entry by (resolved) host, and the wildcard ones: what <see cref="Replacing"/> starts from.</summary>
    private readonly Dictionary<string, List<Entry>> _byHost = new(StringComparer.Ordinal);
    private readonly List<Entry> _wildcards = [];
    private int _added;
    private readonly string _clusterDomain;
    private readonly string _rootNamespace;

    /// <summary>Indexes <paramref name="destinationRules"/>; rules without a <c>spec.host</c> are left out.</summary>
    public DestinationRuleIndex(IEnumerable<JsonObject> destinationRules, string clusterDomain, string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(destinationRules);
        _clusterDomain = clusterDomain;
        _rootNamespace = rootNamespace;
        foreach (var dr in destinationRules)
        {
            if (EntryOf(dr, clusterDomain) is { } entry)
            {
                Add(entry with { Order = _added++ });
            }
        }
    }

    private DestinationRuleIndex(string clusterDomain, string rootNamespace)
    {
        _clusterDomain = clusterDomain;
        _rootNamespace = rootNamespace;
    }

    /// <summary>
    /// The host <paramref name="destinationRule"/> is indexed under (<c>spec.host</c> resolved against its namespace, as
    /// istiod does), or null when it has none.
    /// </summary>
    internal static string? HostOf(JsonObject destinationRule, string clusterDomain) => EntryOf(destinationRule, clusterDomain)?.Host;

    /// <summary>
    /// This index as it would be with the rule <paramref name="ns"/>/<paramref name="name"/> replaced by
    /// <paramref name="replacement"/> (only removed when it is null), for looking up <paramref name="hosts"/>: only the
    /// rules whose host can match one of them are kept (a lookup of any other host through it finds nothing), unless there
    /// are more than a few hosts, when every rule is kept. The same answers for those hosts as an index built from the
    /// changed list of rules, without reading any rule's JSON again.
    /// </summary>
    internal DestinationRuleIndex Replacing(string ns, string name, JsonObject? replacement, HashSet<string> hosts)
    {
        const int MaxFilteredHosts = 4;
        var changed = new DestinationRuleIndex(_clusterDomain, _rootNamespace);
        IEnumerable<Entry> kept;
        if (hosts.Count > MaxFilteredHosts)
        {
            kept = _byNamespace.Values.SelectMany(entries => entries);
        }
        else
        {
            // The rules with exactly one of the hosts, and the wildcard rules that match one, in the order they were indexed.
            var found = new List<Entry>();
            foreach (var host in hosts)
            {
                // (A host written with a '*' is matched by the wildcard rules below, its own pattern included.)
                if (!host.Contains('*', StringComparison.Ordinal) && _byHost.TryGetValue(host, out var sameHost))
                {
                    found.AddRange(sameHost);
                }
            }

            foreach (var wildcard in _wildcards)
            {
                if (CanMatch(wildcard.Host, hosts))
                {
                    found.Add(wildcard);
                }
            }

            found.Sort((x, y) => x.Order.CompareTo(y.Order));
            kept = found;
        }

        foreach (var entry in kept)
        {
            if (entry.Namespace != ns || entry.Name != name)
            {
                changed.Add(entry);
            }
        }

        if (replacement is not null && EntryOf(replacement, _clusterDomain) is { } added)
        {
            changed.Add(added with { Order = int.MaxValue });
        }

        return changed;
    }

    private static bool CanMatch(string pattern, HashSet<string> hosts)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return hosts.Contains(pattern);
        }

        foreach (var host in hosts)
        {
            if (MeshHosts.Matches(pattern, host))
            {
                return true;
            }
        }

        return false;
    }

    private static Entry? EntryOf(JsonObject dr, string clusterDomain)
    {
        var spec = JsonRead.Object(dr, "spec");
        if (JsonRead.String(spec, "host") is not { Length: > 0 } host)
        {
            return null;
        }

        var meta = JsonRead.Object(dr, "metadata");
        var ns = JsonRead.String(meta, "namespace") is { Length: > 0 } n ? n : "default";
        var name = JsonRead.String(meta, "name") ?? string.Empty;
        var subsets = (JsonRead.Array(spec, "subsets") ?? [])
            .Select(s => JsonRead.String(s as JsonObject, "name"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var exportTo = (JsonRead.Array(spec, "exportTo") ?? []).Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
        return new Entry(ns, name, MeshHosts.Resolve(host, ns, clusterDomain), subsets, exportTo);
    }

    private void Add(Entry entry)
    {
        if (!_byHost.TryGetValue(entry.Host, out var withHost))
        {
            _byHost[entry.Host] = withHost = [];
        }

        withHost.Add(entry);
        if (entry.Host.Contains('*', StringComparison.Ordinal))
        {
            _wildcards.Add(entry);
        }

        if (!_byNamespace.TryGetValue(entry.Namespace, out var entries))
        {
            _byNamespace[entry.Namespace] = entries = [];
        }

        entries.Add(entry);
        if (!_byNamespaceAndHost.TryGetValue(entry.Namespace, out var hosts))
        {
            _byNamespaceAndHost[entry.Namespace] = hosts = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        }

        if (!hosts.TryGetValue(entry.Host, out var sameHost))
        {
            hosts[entry.Host] = sameHost = [];
        }

        sameHost.Add(entry);
    }

    /// <summary>
    /// The rules (as <c>namespace/name</c>) a client in <paramref name="clientNamespace"/> uses for <paramref name="host"/>,
    /// and the subsets they define; no rules when none is visible.
    /// </summary>
    public (IReadOnlyList<string> Rules, IReadOnlySet<string> Subsets) Lookup(string host, string clientNamespace)
    {
        var serviceNs = MeshHosts.ServiceNamespace(host, _clusterDomain);
        for (var step = 0; step < 3; step++)
        {
            // SearchOrder without the list: client namespace, service namespace, root namespace, each once.
            var ns = step switch
            {
                0 => clientNamespace,
                1 when serviceNs is not null && serviceNs != clientNamespace => serviceNs,
                2 when _rootNamespace != clientNamespace && _rootNamespace != serviceNs => _rootNamespace,
                _ => null,
            };
            if (ns is null || !_byNamespace.TryGetValue(ns, out var inNamespace))
            {
                continue;
            }

            // An exact host wins over every wildcard: when a visible rule has exactly this host, no scan is needed.
            if (_byNamespaceAndHost[ns].TryGetValue(host, out var sameHost))
            {
                if (sameHost is [var only] && only.VisibleTo(clientNamespace))
                {
                    return (only.RuleNames, only.Subsets);
                }

                if (sameHost.Where(e => e.VisibleTo(clientNamespace)).ToList() is { Count: > 0 } visible)
                {
                    return Merge(visible);
                }
            }

            var candidates = inNamespace.Where(e => MeshHosts.Matches(e.Host, host) && e.VisibleTo(clientNamespace)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var exact = candidates.Where(e => e.Host == host).ToList();
            var chosen = exact.Count > 0 ? exact : candidates.GroupBy(e => e.Host.Length).MaxBy(g => g.Key)!.ToList();
            return Merge(chosen);
        }

        return ([], new HashSet<string>());
    }

    private static (IReadOnlyList<string> Rules, IReadOnlySet<string> Subsets) Merge(List<Entry> chosen) =>
        chosen is [var only] ? (only.RuleNames, only.Subsets) : (chosen.Select(e => e.Namespace + "/" + e.Name).ToList(), chosen.SelectMany(e => e.Subsets).ToHashSet(StringComparer.Ordinal));

    /// <summary>The cluster domain hosts are qualified with (e.g. <c>cluster.local</c>).</summary>
    public string ClusterDomain => _clusterDomain;

    /// <summary>The mesh root namespace, searched last.</summary>
    public string RootNamespace => _rootNamespace;

    /// <summary>The namespaces searched for <paramref name="host"/>, in order.</summary>
    public IReadOnlyList<string> SearchOrder(string host, string clientNamespace)
    {
        var order = new List<string> { clientNamespace };
        if (MeshHosts.ServiceNamespace(host, _clusterDomain) is { } serviceNs && !order.Contains(serviceNs))
        {
            order.Add(serviceNs);
        }

        if (!order.Contains(_rootNamespace))
        {
            order.Add(_rootNamespace);
        }

        return order;
    }

    private sealed record Entry(string Namespace, string Name, string Host, HashSet<string> Subsets, List<string> ExportTo)
    {
        /// <summary>Where the entry was indexed among the rules (the order merged rule names are listed in).</summary>
        public int Order { get; init; }

        /// <summary><c>namespace/name</c> as the one-rule answer of <see cref="Lookup"/>, built once.</summary>
        public IReadOnlyList<string> RuleNames { get; } = [Namespace + "/" + Name];

        public bool VisibleTo(string clientNamespace) =>
            ExportTo.Count == 0
            || ExportTo.Contains("*")
            || (ExportTo.Contains(".") && clientNamespace == Namespace)
            || ExportTo.Contains(clientNamespace);
    }
}

using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Live DestinationRules by namespace and resolved host, answering "which subsets does a client in namespace N see
/// for host H": istiod looks in the client namespace, then the service's namespace, then the root namespace, and
/// prefers an exact host over a wildcard. Rules at the chosen level are merged (the first definition of a subset wins).
/// </summary>
internal sealed class DestinationRuleIndex
{
    private readonly List<Entry> _entries = [];
    private readonly SubsetGuardOptions _options;

    public DestinationRuleIndex(IEnumerable<JsonObject> destinationRules, SubsetGuardOptions options)
    {
        _options = options;
        foreach (var dr in destinationRules)
        {
            var id = ObjectId.Of(dr);
            var spec = dr["spec"] as JsonObject;
            if (ObjectId.Text(spec?["host"]) is not { Length: > 0 } host)
            {
                continue;
            }

            var subsets = (spec?["subsets"] as JsonArray ?? [])
                .Select(s => ObjectId.Text((s as JsonObject)?["name"]))
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            _entries.Add(new Entry(id, MeshHosts.Resolve(host, id.Namespace, options.ClusterDomain), subsets));
        }
    }

    /// <summary>The rules a client in <paramref name="clientNamespace"/> uses for <paramref name="host"/>, and the subsets they define.</summary>
    public (IReadOnlyList<ObjectId> Rules, IReadOnlySet<string> Subsets) Lookup(string host, string clientNamespace)
    {
        foreach (var ns in SearchOrder(host, clientNamespace))
        {
            var candidates = _entries.Where(e => e.Id.Namespace == ns && MeshHosts.Matches(e.Host, host)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var exact = candidates.Where(e => e.Host == host).ToList();
            var chosen = exact.Count > 0 ? exact : candidates.GroupBy(e => e.Host.Length).MaxBy(g => g.Key)!.ToList();
            return (chosen.Select(e => e.Id).ToList(), chosen.SelectMany(e => e.Subsets).ToHashSet(StringComparer.Ordinal));
        }

        return ([], new HashSet<string>());
    }

    /// <summary>The namespaces searched for <paramref name="host"/>, in order.</summary>
    public IReadOnlyList<string> SearchOrder(string host, string clientNamespace)
    {
        var order = new List<string> { clientNamespace };
        if (MeshHosts.ServiceNamespace(host, _options.ClusterDomain) is { } serviceNs && !order.Contains(serviceNs))
        {
            order.Add(serviceNs);
        }

        if (!order.Contains(_options.RootNamespace))
        {
            order.Add(_options.RootNamespace);
        }

        return order;
    }

    private sealed record Entry(ObjectId Id, string Host, HashSet<string> Subsets);
}

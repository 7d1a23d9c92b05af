using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Planning;

/// <summary>
/// Pure checks of "every subset a VirtualService uses exists in the DestinationRule for that host", the rule Istio's
/// own webhook never checks (only the analyzer's IST0101 does, after the fact). Works on any objects (rendered,
/// IstioFilter-patched or live): route destinations of <c>http</c>, <c>tcp</c> and <c>tls</c>, and
/// <c>http[].mirror</c> and <c>http[].mirrors[]</c>. Hosts resolve as Istio does: a name without a dot gets
/// <c>.&lt;namespace of the object&gt;.svc.&lt;domain&gt;</c>; anything else is taken as written. Which DestinationRule
/// a VirtualService's proxies use is decided by the one lookup shared with admission (<c>Istio/DestinationRuleIndex</c>:
/// client namespace → service namespace → root namespace, exact host before wildcard, <c>exportTo</c>).
/// </summary>
public static class SubsetReferences
{
    /// <summary>True for a <c>networking.istio.io</c> VirtualService of any version.</summary>
    public static bool IsVirtualService(JsonObject obj) => IsIstio(obj, "VirtualService");

    /// <summary>True for a <c>networking.istio.io</c> DestinationRule of any version.</summary>
    public static bool IsDestinationRule(JsonObject obj) => IsIstio(obj, "DestinationRule");

    /// <summary>The fully qualified form of <paramref name="host"/> as seen from namespace <paramref name="ns"/>.</summary>
    public static string ResolveHost(string host, string? ns, string clusterDomain = "cluster.local")
    {
        ArgumentNullException.ThrowIfNull(host);
        return Istio.MeshHosts.Resolve(host, ns, clusterDomain);
    }

    /// <summary>Every subset <paramref name="virtualService"/> names, in field order; empty for other objects.</summary>
    public static IReadOnlyList<SubsetReference> Collect(JsonObject virtualService, string clusterDomain = "cluster.local")
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        var view = new NodeView(virtualService);
        var uses = Uses(view, clusterDomain);
        if (uses.Count == 0)
        {
            return [];
        }

        var metadata = view["metadata"];
        var ns = metadata["namespace"].String ?? "default";
        var name = metadata["name"].String ?? string.Empty;
        return uses.ConvertAll(u => u.ToReference(ns, name));
    }

    /// <summary>
    /// <see cref="Collect(JsonObject, string)"/> read in one pass straight from a VirtualService's UTF-8 JSON (the webhook
    /// reads a reviewed VirtualService this way, without a document or a node tree): the same references. Member names must
    /// be unique in every object; invalid JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static IReadOnlyList<SubsetReference> Collect(ReadOnlySpan<byte> utf8VirtualService, string clusterDomain = "cluster.local")
    {
        var vs = Utf8VirtualService.Read(utf8VirtualService, clusterDomain);
        var ns = vs.Namespace ?? "default";
        var name = vs.Name ?? string.Empty;
        return vs.Uses.Select(u => u.ToReference(ns, name)).ToList();
    }

    /// <summary>
    /// The one walk of a VirtualService's subset uses over a node tree (its twin over UTF-8 bytes is
    /// <see cref="Utf8VirtualService"/>; <c>SubsetGuardDocumentPropertyTests</c> hold them to the same answers).
    /// </summary>
    internal static List<SubsetUse> Uses<TView>(TView virtualService, string clusterDomain)
        where TView : struct, IJsonView<TView>
    {
        var found = new List<SubsetUse>();
        var spec = virtualService["spec"];
        if (!IsIstio(virtualService, "VirtualService") || !spec.IsObject)
        {
            return found;
        }

        var ns = virtualService["metadata"]["namespace"].String ?? "default";
        void Add(TView destination, int kind, int route, int part, int item)
        {
            if (destination["subset"].String is { Length: > 0 } subset && destination["host"].String is { Length: > 0 } host)
            {
                found.Add(new SubsetUse(ResolveHost(host, ns, clusterDomain), subset, kind, route, part, item));
            }
        }

        for (var kind = 0; kind < SubsetUse.Kinds.Length; kind++)
        {
            var routes = spec[SubsetUse.Kinds[kind]].Items();
            for (var i = 0; i < routes.Length; i++)
            {
                var route = routes[i];
                var destinations = route["route"].Items();
                for (var j = 0; j < destinations.Length; j++)
                {
                    Add(destinations[j]["destination"], kind, i, 0, j);
                }

                Add(route["mirror"], kind, i, 1, 0);
                var mirrors = route["mirrors"].Items();
                for (var j = 0; j < mirrors.Length; j++)
                {
                    Add(mirrors[j]["destination"], kind, i, 2, j);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Every subset reference among <paramref name="objects"/> that the DestinationRule its proxies would use (among the
    /// given ones, by Istio's lookup) does not define; empty when consistent.
    /// </summary>
    public static IReadOnlyList<SubsetViolation> FindMissing(IEnumerable<JsonObject> objects, SubsetCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        options ??= SubsetCheckOptions.Default;
        var list = objects as IReadOnlyCollection<JsonObject> ?? objects.ToList();
        var index = new Istio.DestinationRuleIndex(list.Where(IsDestinationRule), options.ClusterDomain, options.RootNamespace);
        var violations = new List<SubsetViolation>();
        foreach (var obj in list)
        {
            foreach (var reference in Collect(obj, options.ClusterDomain))
            {
                var (rules, subsets) = index.Lookup(reference.Host, reference.VirtualServiceNamespace);
                if (rules.Count == 0)
                {
                    if (!options.IgnoreHostsWithoutDestinationRule)
                    {
                        violations.Add(new SubsetViolation(reference, DestinationRuleExists: false));
                    }
                }
                else if (!subsets.Contains(reference.Subset))
                {
                    violations.Add(new SubsetViolation(reference, DestinationRuleExists: true));
                }
            }
        }

        return violations;
    }

    /// <summary>The fully qualified <c>spec.host</c> of a DestinationRule, resolved against its namespace.</summary>
    internal static string? HostOf(JsonObject destinationRule, string clusterDomain)
    {
        var host = JsonRead.String(JsonRead.Object(destinationRule, "spec"), "host");
        return host is { Length: > 0 } ? ResolveHost(host, JsonRead.String(JsonRead.Object(destinationRule, "metadata"), "namespace"), clusterDomain) : null;
    }

    /// <summary>The names of a DestinationRule's subsets, in order.</summary>
    internal static IEnumerable<string> SubsetNamesOf(JsonObject destinationRule)
    {
        var subsets = JsonRead.Array(JsonRead.Object(destinationRule, "spec"), "subsets");
        for (var i = 0; subsets is not null && i < subsets.Count; i++)
        {
            if (JsonRead.String(subsets[i] as JsonObject, "name") is { Length: > 0 } name)
            {
                yield return name;
            }
        }
    }

    private static bool IsIstio(JsonObject obj, string kind) => IsIstio(new NodeView(obj), kind);

    private static bool IsIstio<TView>(TView obj, string kind)
        where TView : struct, IJsonView<TView> =>
        obj["kind"].String == kind
        && obj["apiVersion"].String is { } apiVersion
        && apiVersion.StartsWith("networking.istio.io/", StringComparison.Ordinal);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Sidecars;

/// <summary>
/// Grows a namespace's Sidecar as its workloads are seen calling other services. Entries follow Istio's
/// <c>namespace/dnsName</c> syntax (istio.md §7); short names are expanded to FQDNs because Sidecar host matching
/// does no short-name expansion (<c>./reviews</c> would not match <c>reviews.&lt;ns&gt;.svc.cluster.local</c>).
/// </summary>
public static class SidecarEgress
{
    /// <summary>
    /// Adds <c>&lt;ns&gt;/&lt;host&gt;</c> to the port-less egress listener of a copy of <paramref name="sidecar"/> for each
    /// dependency not already imported (by an exact entry, <c>ns/*</c>, <c>*/*</c>, <c>./*</c> for its own namespace, or a
    /// wildcard). The host list comes back sorted and deduplicated, so merging the same events again changes nothing.
    /// Invalid dependencies are reported in <see cref="SidecarMergeResult.Errors"/> and skipped.
    /// </summary>
    public static SidecarMergeResult Merge(JsonObject sidecar, IEnumerable<SidecarDependency> dependencies, string clusterDomain = "cluster.local")
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        ArgumentNullException.ThrowIfNull(dependencies);
        var result = (JsonObject)sidecar.DeepClone();
        var errors = new List<Diagnostic>();
        var sidecarNs = (result["metadata"] as JsonObject)?["namespace"] is JsonValue nsValue && nsValue.TryGetValue<string>(out var n) ? n : "default";
        var spec = result["spec"] as JsonObject ?? new JsonObject();
        result["spec"] = spec;
        if (spec["egress"] is not JsonArray egress)
        {
            egress = [];
            spec["egress"] = egress;
        }

        var listener = egress.OfType<JsonObject>().FirstOrDefault(e => e["port"] is null);
        if (listener is null)
        {
            listener = new JsonObject { ["hosts"] = new JsonArray() };
            egress.Add(listener);
        }

        var hosts = (listener["hosts"] as JsonArray ?? [])
            .Select(h => h is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null)
            .OfType<string>()
            .ToList();
        var added = new SortedSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var dependency in dependencies)
        {
            var path = $"dependencies[{i++}]";
            if (Entry(dependency, clusterDomain, out var error) is not { } entry)
            {
                errors.Add(Diagnostic.Error(path, error!));
                continue;
            }

            if (!hosts.Any(h => Covers(h, entry, sidecarNs)) && !added.Contains(entry))
            {
                added.Add(entry);
            }
        }

        var merged = hosts.Concat(added).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var newHosts = new JsonArray(merged.Select(h => (JsonNode?)h).ToArray());
        var changed = listener["hosts"] is not JsonArray old || !JsonNode.DeepEquals(old, newHosts);
        if (changed)
        {
            listener["hosts"] = newHosts;
        }

        return new SidecarMergeResult(changed ? result : (JsonObject)sidecar.DeepClone(), changed, added.ToList(), errors);
    }

    /// <summary>The egress entry for a dependency, or null with the reason.</summary>
    internal static string? Entry(SidecarDependency dependency, string clusterDomain, out string? error)
    {
        error = null;
        var ns = dependency.Namespace;
        var host = dependency.Host;
        if (!Names.IsDns1123Label(ns))
        {
            error = $"namespace '{ns}' is not a namespace name (DNS-1123 label); '*', '.' and '~' are not dependency namespaces";
            return null;
        }

        if (host == "*")
        {
            return ns + "/*";
        }

        if (host.StartsWith('~') || host.Contains('/', StringComparison.Ordinal))
        {
            error = $"host '{host}' must be a DNS name without '/' or '~' (exclusions need Istio 1.31)";
            return null;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (!Names.IsDns1123Subdomain(name))
        {
            error = $"host '{host}' is not a DNS name (lower-case letters, digits, '-' and '.', optionally starting with '*.')";
            return null;
        }

        // Sidecar matching does no short-name expansion, so a bare Service name must become its FQDN.
        return host.Contains('.', StringComparison.Ordinal) ? $"{ns}/{host}" : $"{ns}/{host}.{ns}.svc.{clusterDomain}";
    }

    private static bool Covers(string existing, string entry, string sidecarNs)
    {
        var slash = existing.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || existing.StartsWith('~'))
        {
            return false;
        }

        var (ns, host) = (existing[..slash], existing[(slash + 1)..]);
        var entrySlash = entry.IndexOf('/', StringComparison.Ordinal);
        var (entryNs, entryHost) = (entry[..entrySlash], entry[(entrySlash + 1)..]);
        var nsMatches = ns == "*" || ns == entryNs || (ns == "." && entryNs == sidecarNs);
        if (!nsMatches)
        {
            return false;
        }

        return host == "*" || host == entryHost
            || (host.StartsWith("*.", StringComparison.Ordinal) && !entryHost.StartsWith('*') && entryHost.EndsWith(host[1..], StringComparison.Ordinal));
    }
}

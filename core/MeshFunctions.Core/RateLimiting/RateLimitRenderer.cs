using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// Renders RateLimit resources (pure, deterministic) to the EnvoyFilters that enable Envoy's global rate
/// limit filter on each protected workload's inbound sidecar, and to the RLS configuration.
/// </summary>
/// <remarks>
/// Every RateLimit × host pair becomes one descriptor of two entries, emitted by two route actions and
/// matched by a two-level RLS tree:
/// <c>(host, svc.ns.svc.cluster.local:port)</c> then <c>(ratelimit, namespace/name)</c>. The RateLimit's
/// id makes every rule its own counter; the host level keeps one RateLimit that lists several hosts
/// from sharing one counter between them. The second entry is produced only when all header
/// conditions hold (Envoy drops a descriptor when any of its actions does not match).
/// </remarks>
public static class RateLimitRenderer
{
    /// <summary>Descriptor key of the first entry: the protected host.</summary>
    public const string HostDescriptorKey = "host";

    /// <summary>Descriptor key of the second entry: the RateLimit's <c>namespace/name</c>.</summary>
    public const string RuleDescriptorKey = "ratelimit";

    /// <summary>Label put on every rendered object.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Annotation listing the RateLimits (<c>ns/name</c>, comma separated) an EnvoyFilter was rendered from.</summary>
    public const string SourcesAnnotation = "quota.service-mesh.zhihu.com/rate-limits";

    /// <summary>Renders <paramref name="rateLimits"/>; <paramref name="options"/> defaults to <see cref="RateLimitRenderOptions"/>'s defaults.</summary>
    public static RateLimitRenderResult Render(IEnumerable<RateLimit> rateLimits, RateLimitRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rateLimits);
        options ??= new RateLimitRenderOptions();
        var diagnostics = new List<Diagnostic>(options.Validate());
        if (diagnostics.Count > 0)
        {
            return new RateLimitRenderResult([], new RlsConfig { Domain = options.Domain }, diagnostics);
        }

        var rules = CollectRules(rateLimits, options, diagnostics);
        var filters = rules
            .GroupBy(r => (r.Host.Namespace, r.Host.Service))
            .OrderBy(g => g.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Service, StringComparer.Ordinal)
            .Select(g => RateLimitEnvoyFilter.Build(g.Key.Namespace, g.Key.Service, [.. g], options))
            .ToList();
        return new RateLimitRenderResult(filters, BuildRlsConfig(rules, options), diagnostics);
    }

    /// <summary>The EnvoyFilter name for a service: <c>ratelimit-&lt;svc&gt;</c>.</summary>
    public static string EnvoyFilterName(string service) => "ratelimit-" + service;

    private static List<RateLimitRule> CollectRules(IEnumerable<RateLimit> rateLimits, RateLimitRenderOptions options, List<Diagnostic> diagnostics)
    {
        var rules = new List<RateLimitRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ordered = rateLimits
            .OrderBy(r => r.Metadata.NamespaceOrDefault, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal);
        foreach (var rateLimit in ordered)
        {
            var ns = rateLimit.Metadata.NamespaceOrDefault;
            var id = ns + "/" + rateLimit.Metadata.Name;
            var subject = $"{RateLimit.KindValue} {id}";
            var found = rateLimit.Validate().ToList();
            if (!ids.Add(id))
            {
                found.Add(Diagnostic.Error("metadata.name", "the same RateLimit is given twice"));
            }

            var hostRules = new List<RateLimitRule>();
            var byCanonical = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < rateLimit.Spec.Hosts.Count && !found.Any(IsError); i++)
            {
                var host = RateLimitHost.TryParse(rateLimit.Spec.Hosts[i], ns, options.ClusterDomain, out var error);
                if (host is null)
                {
                    found.Add(Diagnostic.Error($"spec.hosts[{i}]", error!));
                }
                else if (byCanonical.TryGetValue(host.Canonical, out var first))
                {
                    found.Add(Diagnostic.Error($"spec.hosts[{i}]", $"names the same host as spec.hosts[{first}] ({host.Canonical})"));
                }
                else
                {
                    byCanonical[host.Canonical] = i;
                    hostRules.Add(new RateLimitRule(id, rateLimit.Spec, host));
                }
            }

            diagnostics.AddRange(found.Select(d => d with { Subject = d.Subject ?? subject }));
            if (!found.Any(IsError))
            {
                rules.AddRange(hostRules);
            }
        }

        return rules;
    }

    private static RlsConfig BuildRlsConfig(List<RateLimitRule> rules, RateLimitRenderOptions options)
    {
        var hosts = rules
            .GroupBy(r => r.Host.Canonical, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RlsDescriptor
            {
                Key = HostDescriptorKey,
                Value = g.Key,
                Descriptors = g
                    .OrderBy(r => r.Id, StringComparer.Ordinal)
                    .Select(r => new RlsDescriptor
                    {
                        Key = RuleDescriptorKey,
                        Value = r.Id,
                        Limits = [new RlsLimit { Unit = r.Spec.Unit, RequestsPerUnit = (uint)r.Spec.Quota, Name = r.Id }],
                    })
                    .ToList(),
            })
            .ToList();
        return new RlsConfig { Domain = options.Domain, Descriptors = hosts };
    }

    private static bool IsError(Diagnostic d) => d.Severity == Severity.Error;

    internal static JsonObject Labels(RateLimitRenderOptions options, string service)
    {
        var labels = new JsonObject { [options.ServiceLabel] = service };
        foreach (var (key, value) in options.ExtraWorkloadLabels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }

        return labels;
    }
}

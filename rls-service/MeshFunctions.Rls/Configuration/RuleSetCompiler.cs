using Google.Protobuf.WellKnownTypes;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Observability;

namespace MeshFunctions.Rls.Configuration;

/// <summary>Turns validated configs into lookup trees; every per-rule object is built here, once.</summary>
internal static class RuleSetCompiler
{
    public static RuleSet Compile(IReadOnlyList<RlsConfig> configs, RlsMetrics metrics)
    {
        var domains = new Dictionary<string, CompiledDomain>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            var domain = new CompiledDomain { Domain = config.Domain };
            AddLevel(domain.Root, config.Descriptors, config.Domain, string.Empty, [], metrics);
            domains.Add(config.Domain, domain);
        }

        return new RuleSet(domains, configs);
    }

    private static void AddLevel(Dictionary<string, KeyGroup> level, IReadOnlyList<RlsDescriptor> descriptors, string domain, string parentPath, RuleNode[] parents, RlsMetrics metrics)
    {
        foreach (var descriptor in descriptors)
        {
            var segment = descriptor.Value is null ? descriptor.Key : descriptor.Key + "_" + descriptor.Value;
            var path = parentPath.Length == 0 ? segment : parentPath + "." + segment;
            var node = new RuleNode
            {
                Key = descriptor.Key,
                Value = descriptor.Value,
                StatPath = path,
                ShadowMode = descriptor.ShadowMode,
                DetailedMetric = descriptor.DetailedMetric,
                QuotaMode = descriptor.QuotaMode,
                ValueToMetric = descriptor.ValueToMetric,
                SharePattern = descriptor.ShareThreshold ? descriptor.Value : null,
                Metadata = descriptor.Metadata is { } metadata ? Struct.Parser.ParseJson(metadata.ToJsonString()) : null,
            };
            node.Path = [.. parents, node];
            node.SharesOnPath = node.Path.Any(n => n.SharePattern is not null);
            node.ValueToMetricOnPath = node.Path.Any(n => n.ValueToMetric);

            // Limits whose metric labels depend on the request get theirs per call (bounded by MetricLabelCache).
            var perRequestLabels = descriptor.DetailedMetric || node.ValueToMetricOnPath;
            node.Limits = [.. descriptor.Limits.Select((l, i) => new CompiledLimit(
                l,
                i,
                perRequestLabels ? null : new RuleMetrics(metrics, domain, path, l.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];

            if (!level.TryGetValue(descriptor.Key, out var group))
            {
                group = new KeyGroup();
                level.Add(descriptor.Key, group);
            }

            if (descriptor.Value is null)
            {
                group.KeyOnly = node;
            }
            else if (WildcardPattern.IsWildcard(descriptor.Value))
            {
                group.Wildcards.Add((new WildcardPattern(descriptor.Value), node));
            }
            else
            {
                group.Exact[descriptor.Value] = node;
            }

            AddLevel(node.Children, descriptor.Descriptors, domain, path, node.Path, metrics);
        }
    }
}

using System.Text;
using Envoy.Extensions.Common.Ratelimit.V3;
using MeshFunctions.Rls.Configuration;

namespace MeshFunctions.Rls.Limiting;

/// <summary>
/// Builds counter keys and per-request metric paths from request entries. Keys keep envoyproxy/ratelimit's
/// shape (<c>domain_k1_v1_k2_v2_</c>, values not escaped), so counters carry over during a migration; a
/// value containing <c>_</c> can therefore collide with another key/value split, exactly as in the reference.
/// </summary>
internal static class CounterKeys
{
    [ThreadStatic]
    private static StringBuilder? _builder;

    /// <summary>
    /// <c>domain_k1_v1_k2_v2_</c>: envoyproxy/ratelimit's key shape without the window suffix. An entry matched by a
    /// <c>share_threshold</c> wildcard contributes the pattern instead of its value, so all such values share one counter.
    /// </summary>
    public static string Base(string domain, RateLimitDescriptor descriptor, RuleNode? node)
    {
        var sb = _builder ??= new StringBuilder(128);
        sb.Clear();
        sb.Append(domain).Append('_');
        var shared = node is { SharesOnPath: true } ? node.Path : null;
        for (var i = 0; i < descriptor.Entries.Count; i++)
        {
            var entry = descriptor.Entries[i];
            sb.Append(entry.Key).Append('_').Append(shared?[i].SharePattern ?? entry.Value).Append('_');
        }

        return sb.ToString();
    }

    /// <summary>
    /// The metric path of a node whose label depends on the request. <c>detailed_metric</c>: <c>k1_v1.k2_v2</c> (every
    /// value); otherwise (<c>value_to_metric</c> on some level) the configured path with the request's value at the
    /// levels that ask for it. <c>share_threshold</c> levels always show their pattern.
    /// </summary>
    public static string MetricPath(RateLimitDescriptor descriptor, RuleNode node)
    {
        var sb = _builder ??= new StringBuilder(128);
        sb.Clear();
        for (var i = 0; i < descriptor.Entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            var entry = descriptor.Entries[i];
            var level = node.Path[i];
            var value = level.SharePattern
                ?? (node.DetailedMetric || level.ValueToMetric || (level.Value is not null && !WildcardPattern.IsWildcard(level.Value))
                    ? entry.Value
                    : level.Value);
            sb.Append(entry.Key);
            if (!string.IsNullOrEmpty(value))
            {
                sb.Append('_').Append(value);
            }
        }

        return sb.ToString();
    }
}

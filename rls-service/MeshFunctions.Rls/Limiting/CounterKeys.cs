using System.Text;
using Envoy.Extensions.Common.Ratelimit.V3;

namespace MeshFunctions.Rls.Limiting;

/// <summary>Builds counter keys and detailed metric paths from request entries.</summary>
internal static class CounterKeys
{
    [ThreadStatic]
    private static StringBuilder? _builder;

    /// <summary><c>domain_k1_v1_k2_v2_</c>: envoyproxy/ratelimit's key shape without the window suffix.</summary>
    public static string Base(string domain, RateLimitDescriptor descriptor)
    {
        var sb = _builder ??= new StringBuilder(128);
        sb.Clear();
        sb.Append(domain).Append('_');
        foreach (var entry in descriptor.Entries)
        {
            sb.Append(entry.Key).Append('_').Append(entry.Value).Append('_');
        }

        return sb.ToString();
    }

    /// <summary><c>k1_v1.k2_v2</c>: the metric label of a node with <c>detailed_metric</c>.</summary>
    public static string DetailedPath(RateLimitDescriptor descriptor)
    {
        var sb = _builder ??= new StringBuilder(128);
        sb.Clear();
        for (var i = 0; i < descriptor.Entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            sb.Append(descriptor.Entries[i].Key).Append('_').Append(descriptor.Entries[i].Value);
        }

        return sb.ToString();
    }
}

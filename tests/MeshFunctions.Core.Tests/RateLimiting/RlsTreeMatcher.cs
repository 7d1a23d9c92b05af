using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Core.Tests.RateLimiting;

/// <summary>
/// envoyproxy/ratelimit's lookup, small and independent of the RLS: walk the entries level by level
/// (exact key+value, then a trailing-'*' wildcard, then key-only); the limits of the node reached by the
/// last entry apply; entries deeper than the tree match nothing.
/// </summary>
internal static class RlsTreeMatcher
{
    public static RlsDescriptor? Match(RlsConfig config, string domain, IReadOnlyList<(string Key, string Value)> entries)
    {
        if (config.Domain != domain)
        {
            return null;
        }

        IReadOnlyList<RlsDescriptor> level = config.Descriptors;
        RlsDescriptor? node = null;
        foreach (var (key, value) in entries)
        {
            node = level.FirstOrDefault(d => d.Key == key && d.Value == value)
                ?? level.FirstOrDefault(d => d.Key == key && d.Value is { } v && v.EndsWith('*') && value.StartsWith(v[..^1], StringComparison.Ordinal))
                ?? level.FirstOrDefault(d => d.Key == key && d.Value is null);
            if (node is null)
            {
                return null;
            }

            level = node.Descriptors;
        }

        return node;
    }
}

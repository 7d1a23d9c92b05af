using Envoy.Extensions.Common.Ratelimit.V3;
using Google.Protobuf.Collections;

namespace MeshFunctions.Rls.Configuration;

/// <summary>The lookup tree of one domain.</summary>
internal sealed class CompiledDomain
{
    public required string Domain { get; init; }

    public Dictionary<string, KeyGroup> Root { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Walks the request entries one level at a time; the node reached by the last entry is the answer
    /// (null when some level has no match, as in envoyproxy/ratelimit's GetLimit).
    /// </summary>
    public RuleNode? Match(RepeatedField<RateLimitDescriptor.Types.Entry> entries)
    {
        var level = Root;
        RuleNode? node = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (!level.TryGetValue(entries[i].Key, out var group))
            {
                return null;
            }

            node = group.Match(entries[i].Value);
            if (node is null)
            {
                return null;
            }

            level = node.Children;
        }

        return node;
    }
}

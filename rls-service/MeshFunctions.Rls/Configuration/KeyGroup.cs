namespace MeshFunctions.Rls.Configuration;

/// <summary>All nodes of one level that share a key: exact values, wildcards in load order, and the key-only default.</summary>
internal sealed class KeyGroup
{
    public Dictionary<string, RuleNode> Exact { get; } = new(StringComparer.Ordinal);

    public List<(WildcardPattern Pattern, RuleNode Node)> Wildcards { get; } = [];

    public RuleNode? KeyOnly { get; set; }

    /// <summary>Exact value, then the first matching wildcard, then key-only (envoyproxy/ratelimit's order).</summary>
    public RuleNode? Match(string value)
    {
        if (Exact.TryGetValue(value, out var node))
        {
            return node;
        }

        foreach (var (pattern, candidate) in Wildcards)
        {
            if (pattern.IsMatch(value))
            {
                return candidate;
            }
        }

        return KeyOnly;
    }
}

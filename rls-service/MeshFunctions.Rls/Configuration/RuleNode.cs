namespace MeshFunctions.Rls.Configuration;

/// <summary>A compiled descriptor node.</summary>
internal sealed class RuleNode
{
    public required string Key { get; init; }

    /// <summary>The configured value (exact or wildcard); null for key-only.</summary>
    public string? Value { get; init; }

    /// <summary>Metric label for this node: <c>k1_v1.k2</c> (values only where configured).</summary>
    public required string StatPath { get; init; }

    public CompiledLimit[] Limits { get; set; } = [];

    public bool ShadowMode { get; init; }

    public bool DetailedMetric { get; init; }

    public Dictionary<string, KeyGroup> Children { get; } = new(StringComparer.Ordinal);
}

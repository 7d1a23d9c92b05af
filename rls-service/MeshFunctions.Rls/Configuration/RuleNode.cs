using Google.Protobuf.WellKnownTypes;

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

    /// <summary><c>quota_mode</c>: over this node's limits alone does not reject a call (see the engine).</summary>
    public bool QuotaMode { get; init; }

    /// <summary><c>value_to_metric</c>: the metric path shows the request's value at this level.</summary>
    public bool ValueToMetric { get; init; }

    /// <summary>With <c>share_threshold</c>: the wildcard value that replaces the request's value in keys and metrics.</summary>
    public string? SharePattern { get; init; }

    /// <summary><c>metadata</c>, ready for the response's dynamic metadata.</summary>
    public Struct? Metadata { get; init; }

    /// <summary>The nodes from the top level down to this one; <c>Path[i]</c> matched request entry <c>i</c>.</summary>
    public RuleNode[] Path { get; set; } = [];

    /// <summary>Some node on <see cref="Path"/> shares its counter across values (<c>share_threshold</c>).</summary>
    public bool SharesOnPath { get; set; }

    /// <summary>Some node on <see cref="Path"/> has <c>value_to_metric</c>, so the metric path depends on the request.</summary>
    public bool ValueToMetricOnPath { get; set; }

    public Dictionary<string, KeyGroup> Children { get; } = new(StringComparer.Ordinal);
}

using System.Text.Json.Nodes;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// One node of the descriptor tree: matches a request entry by <see cref="Key"/> and, when set,
/// <see cref="Value"/> (exact, or a trailing <c>*</c> wildcard as in envoyproxy/ratelimit); carries the
/// limits that apply at this depth and the nested descriptors for deeper entries.
/// </summary>
public sealed record RlsDescriptor
{
    public string Key { get; init; } = string.Empty;

    /// <summary>Null matches any value (key-only); a value ending in <c>*</c> is a prefix wildcard.</summary>
    public string? Value { get; init; }

    /// <summary>
    /// Limits applied when a request's descriptor ends at this node. envoyproxy/ratelimit allows one
    /// (<c>rate_limit</c>); MeshFunctions allows several (all must admit the request).
    /// </summary>
    public IReadOnlyList<RlsLimit> Limits { get; init; } = [];

    /// <summary>Count and report, but never answer OVER_LIMIT because of this node.</summary>
    public bool ShadowMode { get; init; }

    /// <summary>Emit per-value metrics for this node (bounded cardinality otherwise).</summary>
    public bool DetailedMetric { get; init; }

    /// <summary>
    /// envoyproxy/ratelimit <c>quota_mode</c>: a soft limit. Being over it alone does not reject the call; the
    /// call is rejected when some non-quota descriptor is over, or when every quota descriptor of the call is.
    /// </summary>
    public bool QuotaMode { get; init; }

    /// <summary>
    /// envoyproxy/ratelimit <c>share_threshold</c> (wildcard values only): every value the wildcard matches
    /// counts on one shared counter, keyed and reported by the pattern instead of the value.
    /// </summary>
    public bool ShareThreshold { get; init; }

    /// <summary>envoyproxy/ratelimit <c>value_to_metric</c>: the metric path shows the request's value at this level.</summary>
    public bool ValueToMetric { get; init; }

    /// <summary>envoyproxy/ratelimit <c>metadata</c>: returned in the response's dynamic metadata when enabled.</summary>
    public JsonObject? Metadata { get; init; }

    public IReadOnlyList<RlsDescriptor> Descriptors { get; init; } = [];
}

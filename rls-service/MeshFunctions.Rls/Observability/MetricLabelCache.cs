using System.Collections.Concurrent;

namespace MeshFunctions.Rls.Observability;

/// <summary>
/// Rule metrics whose labels come from request values (<c>detailed_metric</c>, <c>value_to_metric</c>, limit
/// overrides), resolved once per label set and capped: once <see cref="RlsOptions.MaxMetricLabelSets"/> label sets
/// exist, hits of a new one count under <c>rule="_overflow"</c> of its domain and limit, and
/// <c>rls_metric_label_sets_dropped_total</c> counts them. Existing label sets keep counting; the cap holds until restart.
/// </summary>
internal sealed class MetricLabelCache
{
    /// <summary>The <c>rule</c> label that collects hits of label sets beyond the cap.</summary>
    public const string OverflowRule = "_overflow";

    private readonly ConcurrentDictionary<(string Domain, string Rule, string Limit), RuleMetrics> _children = new();
    private readonly RlsMetrics _metrics;
    private readonly int _max;
    private int _count;

    public MetricLabelCache(RlsMetrics metrics, int max)
    {
        _metrics = metrics;
        _max = max;
    }

    public int Count => Volatile.Read(ref _count);

    public RuleMetrics Get(string domain, string rule, string limit)
    {
        if (_children.TryGetValue((domain, rule, limit), out var known))
        {
            return known;
        }

        if (Interlocked.Increment(ref _count) > _max)
        {
            Interlocked.Decrement(ref _count);
            _metrics.MetricLabelSetsDropped.Inc();
            return _children.GetOrAdd((domain, OverflowRule, limit), k => new RuleMetrics(_metrics, k.Domain, k.Rule, k.Limit));
        }

        var added = false;
        var metrics = _children.GetOrAdd((domain, rule, limit), k =>
        {
            added = true;
            return new RuleMetrics(_metrics, k.Domain, k.Rule, k.Limit);
        });
        if (!added)
        {
            Interlocked.Decrement(ref _count);
        }

        return metrics;
    }
}

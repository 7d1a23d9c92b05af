using Prometheus;

namespace MeshFunctions.Rls.Observability;

/// <summary>The counters of one rule (domain, node path, limit), resolved once so the hot path does no label lookup.</summary>
internal sealed class RuleMetrics
{
    public RuleMetrics(RlsMetrics metrics, string domain, string rule, string limit)
    {
        TotalHits = metrics.TotalHits.WithLabels(domain, rule, limit);
        OverLimit = metrics.OverLimit.WithLabels(domain, rule, limit);
        NearLimit = metrics.NearLimit.WithLabels(domain, rule, limit);
        WithinLimit = metrics.WithinLimit.WithLabels(domain, rule, limit);
        ShadowMode = metrics.ShadowMode.WithLabels(domain, rule, limit);
    }

    public Counter.Child TotalHits { get; }

    public Counter.Child OverLimit { get; }

    public Counter.Child NearLimit { get; }

    public Counter.Child WithinLimit { get; }

    public Counter.Child ShadowMode { get; }
}

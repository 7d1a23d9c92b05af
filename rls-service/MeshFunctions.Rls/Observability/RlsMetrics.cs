using Prometheus;

namespace MeshFunctions.Rls.Observability;

/// <summary>
/// Prometheus metrics. Rule metrics are labelled by domain, configured node path and limit name, never by
/// request values (unless a node sets <c>detailed_metric</c>), so cardinality is bounded by the config.
/// </summary>
internal sealed class RlsMetrics
{
    private static readonly string[] RuleLabels = ["domain", "rule", "limit"];

    public RlsMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);

        // prometheus-net records the current trace as an exemplar on every increment by default; that
        // costs an allocation per hit on the hot path and nobody scrapes exemplars from this service.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        TotalHits = factory.CreateCounter("rls_rate_limit_total_hits", "Hits counted against a rule.", RuleLabels);
        OverLimit = factory.CreateCounter("rls_rate_limit_over_limit", "Hits over the limit.", RuleLabels);
        NearLimit = factory.CreateCounter("rls_rate_limit_near_limit", "Hits admitted above the near-limit ratio.", RuleLabels);
        WithinLimit = factory.CreateCounter("rls_rate_limit_within_limit", "Hits within the limit.", RuleLabels);
        ShadowMode = factory.CreateCounter("rls_rate_limit_shadow_mode", "Hits over the limit but admitted by shadow mode.", RuleLabels);
        DomainNotFound = factory.CreateCounter("rls_domain_not_found_total", "Calls for a domain that is not configured.");
        Errors = factory.CreateCounter("rls_should_rate_limit_error_total", "Calls answered by the failure mode or rejected.", "err_type");
        Requests = factory.CreateCounter("rls_requests_total", "ShouldRateLimit calls.", "code");
        ConfigLoadSuccess = factory.CreateCounter("rls_config_load_success_total", "Successful config loads.");
        ConfigLoadError = factory.CreateCounter("rls_config_load_error_total", "Failed config loads (the previous config stays).");
        ConfigValid = factory.CreateGauge("rls_config_valid", "1 when the last config load succeeded.");
        BreakerOpen = factory.CreateGauge("rls_redis_breaker_open", "1 while the Redis circuit is open.");
        OverLimitLocalCache = factory.CreateCounter("rls_over_limit_with_local_cache_total", "Counters answered over limit by the local cache, without Redis.");
        RedisStalledCalls = factory.CreateCounter(
            "rls_redis_stalled_calls_total",
            "Redis calls answered with the failure mode at once because an earlier call is still unanswered past RedisTimeout.");
        RedisTimeouts = factory.CreateCounter(
            "rls_redis_timeouts_total",
            "Redis script calls that waited the whole RedisTimeout without a reply (answered with the failure mode).");
        RedisCallDuration = factory.CreateHistogram(
            "rls_redis_call_duration_seconds",
            "Time of one Redis script call (one batch), from send to reply or failure.",
            new HistogramConfiguration { Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1] });
        RedisBatchCalls = factory.CreateHistogram(
            "rls_redis_batch_calls",
            "ShouldRateLimit calls merged into one Redis script call.",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        MetricLabelSetsDropped = factory.CreateCounter(
            "rls_metric_label_sets_dropped_total",
            "Hits whose per-request metric labels (detailed_metric, value_to_metric) were beyond Rls:MaxMetricLabelSets and counted under rule=\"_overflow\".");
        InProcessCounters = factory.CreateGauge("rls_inprocess_counters", "Counters held by the in-process backend.");
        InProcessEvictions = factory.CreateCounter(
            "rls_inprocess_counter_evictions_total",
            "Live in-process counters dropped because Rls:MaxInProcessCounters was reached (the counter restarts from zero).");
        RedisQueueRejected = factory.CreateCounter(
            "rls_redis_queue_rejected_total",
            "Calls answered with the failure mode at once because Rls:RedisMaxQueuedCalls calls were already waiting for Redis.");
        OkCalls = Requests.WithLabels("OK");
        OverLimitCalls = Requests.WithLabels("OVER_LIMIT");
        RedisErrors = Errors.WithLabels("redis_error");
        ServiceErrors = Errors.WithLabels("service_error");
    }

    public CollectorRegistry Registry { get; }

    public Counter TotalHits { get; }

    public Counter OverLimit { get; }

    public Counter NearLimit { get; }

    public Counter WithinLimit { get; }

    public Counter ShadowMode { get; }

    public Counter DomainNotFound { get; }

    public Counter Errors { get; }

    public Counter Requests { get; }

    public Counter.Child OkCalls { get; }

    public Counter.Child OverLimitCalls { get; }

    public Counter.Child RedisErrors { get; }

    public Counter.Child ServiceErrors { get; }

    public Counter ConfigLoadSuccess { get; }

    public Counter ConfigLoadError { get; }

    public Gauge ConfigValid { get; }

    public Gauge BreakerOpen { get; }

    public Counter OverLimitLocalCache { get; }

    public Counter RedisStalledCalls { get; }

    public Counter RedisTimeouts { get; }

    public Histogram RedisCallDuration { get; }

    public Histogram RedisBatchCalls { get; }

    public Counter MetricLabelSetsDropped { get; }

    public Gauge InProcessCounters { get; }

    public Counter InProcessEvictions { get; }

    public Counter RedisQueueRejected { get; }
}

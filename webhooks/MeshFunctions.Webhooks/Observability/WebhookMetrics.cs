using System.Collections.Concurrent;
using MeshFunctions.Webhooks.Cache;
using Prometheus;

namespace MeshFunctions.Webhooks.Observability;

/// <summary>
/// Prometheus metrics: <c>meshfunctions_webhook_requests_total</c> (webhook, operation, kind, decision),
/// <c>meshfunctions_webhook_duration_seconds</c> (same labels but decision; the API server's buckets),
/// <c>meshfunctions_webhook_failures_total</c> (webhook, reason: <c>deadline</c> or <c>error</c>; answered by the failure rule),
/// <c>meshfunctions_webhook_events_pending</c>, <c>meshfunctions_webhook_events_sent_total</c> and
/// <c>meshfunctions_webhook_events_dropped_total</c> (the mesh-config-events outbox),
/// <c>meshfunctions_webhook_cache_age_seconds</c> and <c>meshfunctions_webhook_cache_objects</c> per resource.
/// Label values are bounded: kinds come only from the webhook configurations' rules, unknown ones become <c>other</c>.
/// </summary>
internal sealed class WebhookMetrics
{
    private static readonly HashSet<string> KnownKinds =
    [
        "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Namespace", "VirtualService", "DestinationRule",
        "Sidecar", "EnvoyFilter", "ServiceEntry", "AuthorizationPolicy", "Router", "IstioFilter", "RateLimit",
    ];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _failures;
    private readonly ConcurrentDictionary<(string Webhook, string Operation, string Kind, string Decision), (Counter.Child Requests, Histogram.Child Duration)> _series = new();

    public WebhookMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("meshfunctions_webhook_requests_total", "AdmissionReviews answered.", "webhook", "operation", "kind", "decision");
        _duration = factory.CreateHistogram(
            "meshfunctions_webhook_duration_seconds",
            "Time from request to answer.",
            new HistogramConfiguration { LabelNames = ["webhook", "operation", "kind"], Buckets = [0.001, 0.005, 0.025, 0.1, 0.5, 1.0, 2.5] });
        _failures = factory.CreateCounter("meshfunctions_webhook_failures_total", "Requests a rule could not decide (deadline or internal error), answered by the failure rule.", "webhook", "reason");
        EventsPending = factory.CreateGauge("meshfunctions_webhook_events_pending", "mesh-config-events waiting in the outbox (including one being sent).");
        EventsSent = factory.CreateCounter("meshfunctions_webhook_events_sent_total", "mesh-config-events sent to the queue.");
        EventsDropped = factory.CreateCounter("meshfunctions_webhook_events_dropped_total", "mesh-config-events dropped because the outbox was full.");
        CacheAge = factory.CreateGauge("meshfunctions_webhook_cache_age_seconds", "Seconds since the cache last heard from the API server.", "resource");
        CacheObjects = factory.CreateGauge("meshfunctions_webhook_cache_objects", "Objects held in the cache.", "resource");
    }

    public CollectorRegistry Registry { get; }

    public Gauge EventsPending { get; }

    public Counter EventsSent { get; }

    public Counter EventsDropped { get; }

    public Gauge CacheAge { get; }

    public Gauge CacheObjects { get; }

    public void Observe(string webhook, string operation, string kind, string decision, TimeSpan elapsed)
    {
        var k = KnownKinds.Contains(kind) ? kind : "other";
        // The labelled series of a request, looked up once per label combination (bounded: see the class comment).
        var (requests, duration) = _series.GetOrAdd((webhook, operation, k, decision), static (key, self) =>
            (self._requests.WithLabels(key.Webhook, key.Operation, key.Kind, key.Decision), self._duration.WithLabels(key.Webhook, key.Operation, key.Kind)), this);
        requests.Inc();
        duration.Observe(elapsed.TotalSeconds);
    }

    /// <summary>Counts a request answered by the failure rule; <paramref name="reason"/> is <c>deadline</c> or <c>error</c>.</summary>
    public void Failed(string webhook, string reason) => _failures.WithLabels(webhook, reason).Inc();

    /// <summary>Updates the cache gauges before each scrape.</summary>
    public void TrackCache(ClusterCache cache, TimeProvider time) => Registry.AddBeforeCollectCallback(() =>
    {
        foreach (var informer in cache.All)
        {
            CacheObjects.WithLabels(informer.Name).Set(informer.Current.All.Count);
            CacheAge.WithLabels(informer.Name).Set(informer.IsSynced ? (time.GetUtcNow() - informer.LastHeard).TotalSeconds : double.NaN);
        }
    });
}

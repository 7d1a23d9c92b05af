using Prometheus;

namespace MeshFunctions.Discovery.Observability;

/// <summary>Prometheus metrics of Discovery, in a registry of their own (served on <c>/metrics</c>).</summary>
internal sealed class DiscoveryMetrics
{
    public DiscoveryMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        Answers = factory.CreateCounter("discovery_answers_total", "Answers by interface and kind (mesh, legacy, proxy).", "interface", "kind");
        Watchers = factory.CreateGauge("discovery_blocked_watchers", "Blocking queries and gRPC watches waiting now.");
        Blocked = factory.CreateCounter("discovery_blocked_total", "Blocking queries and gRPC watches that parked to wait for a change or their deadline.");
        WakeSeconds = factory.CreateHistogram("discovery_wake_seconds", "Time from a change (upstream answer or Kubernetes state) to the answer of each blocked query it woke, written to the connection.", new HistogramConfiguration
        {
            Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60],
        });
        UpstreamViews = factory.CreateGauge("discovery_upstream_views", "Upstream queries watched now.");
        UpstreamLag = factory.CreateGauge("discovery_upstream_last_contact_seconds", "Upstream Consul's X-Consul-LastContact of the latest answer.");
        UpstreamErrors = factory.CreateCounter("discovery_upstream_errors_total", "Failed upstream Consul reads.");
        KubernetesRelists = factory.CreateCounter("discovery_kubernetes_relists_total", "Kubernetes relists (start, 410 Gone, errors).", "resource");
        BadRequests = factory.CreateCounter("discovery_bad_requests_total", "Requests answered 400 / FORMERR.", "interface");
        EventsPublished = factory.CreateCounter("discovery_events_published_total", "Events sent to Storage Queues.", "queue");
    }

    public CollectorRegistry Registry { get; }

    public Counter Answers { get; }

    public Gauge Watchers { get; }

    public Counter Blocked { get; }

    public Histogram WakeSeconds { get; }

    public Gauge UpstreamViews { get; }

    public Gauge UpstreamLag { get; }

    public Counter UpstreamErrors { get; }

    public Counter KubernetesRelists { get; }

    public Counter BadRequests { get; }

    public Counter EventsPublished { get; }
}

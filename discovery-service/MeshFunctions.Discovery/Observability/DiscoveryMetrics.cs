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

    public Gauge UpstreamViews { get; }

    public Gauge UpstreamLag { get; }

    public Counter UpstreamErrors { get; }

    public Counter KubernetesRelists { get; }

    public Counter BadRequests { get; }

    public Counter EventsPublished { get; }
}

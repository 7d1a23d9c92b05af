namespace MeshFunctions.Functions;

/// <summary>
/// How the reconcilers behave, bound from configuration section <c>MeshFunctions</c> (app settings
/// <c>MeshFunctions__PropagationDelay</c> and so on) and validated at start (<see cref="ReconcilerOptionsValidator"/>).
/// </summary>
public sealed class ReconcilerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "MeshFunctions";

    /// <summary>
    /// The make-before-break wait between transition phases, carried out as a continuation message with this visibility
    /// delay. Default 30 s (the seed's figure; istiod pushes within seconds). Queue storage counts whole seconds.
    /// </summary>
    public TimeSpan PropagationDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a Router's transition lease holds while one instance applies a phase without a wait. Default 2 min.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a deploy event whose sequence skips a number waits for the missing ones before it is applied anyway (the
    /// missing events are then treated as lost). Default 5 min.
    /// </summary>
    public TimeSpan DeployGapTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Visibility delay of a deploy event put back to wait for a missing sequence number. Default 5 s.</summary>
    public TimeSpan DeferDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>host.json <c>maxDequeueCount</c>: on this attempt a failure is final and the Router's status says why. Default 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The cluster DNS domain. Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>Namespace of the Routers created for Consul services. Default <c>default</c>.</summary>
    public string ConsulRouterNamespace { get; set; } = "default";

    /// <summary>Port of the Routers created for Consul services (Consul events carry no port). Default 80.</summary>
    public int DefaultRouterPort { get; set; } = 80;

    /// <summary>Namespace of the rate limit service and its ConfigMap. Default <c>meshfunctions</c>.</summary>
    public string RlsNamespace { get; set; } = "meshfunctions";

    /// <summary>The ConfigMap the rate limit service mounts as its configuration directory. Default <c>rls-config</c>.</summary>
    public string RlsConfigMapName { get; set; } = "rls-config";

    /// <summary>The key (file name) of the RLS configuration in that ConfigMap. Default <c>config.yaml</c>.</summary>
    public string RlsConfigKey { get; set; } = "config.yaml";

    /// <summary>The RLS Service host the rate-limit EnvoyFilters call. Default <c>rls.meshfunctions.svc.cluster.local</c>.</summary>
    public string RlsHost { get; set; } = "rls.meshfunctions.svc.cluster.local";

    /// <summary>The RLS gRPC port. Default 8081.</summary>
    public int RlsPort { get; set; } = 8081;

    /// <summary>Most egress hosts one workload Sidecar gets before hosts collapse to their namespace. Default 200.</summary>
    public int MaxEgressHosts { get; set; } = Core.Sidecars.WorkloadSidecar.DefaultMaxHosts;

    /// <summary>Kubernetes API call retries (429, 5xx, timeouts; exponential back-off with jitter). Default 5.</summary>
    public int KubeRetryAttempts { get; set; } = 5;

    /// <summary>First retry delay. Default 200 ms.</summary>
    public TimeSpan KubeRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Timeout of one Kubernetes API call. Default 10 s.</summary>
    public TimeSpan KubeRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open after too many failed Kubernetes calls. Default 5 s.</summary>
    public TimeSpan KubeBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Storage queue the outcomes go to when no Service Bus is configured, and when a Service Bus send fails (the
    /// fallback, so an outcome is not lost). Default <c>mesh-outcomes</c>.
    /// </summary>
    public string OutcomesQueue { get; set; } = "mesh-outcomes";

    /// <summary>
    /// Service Bus connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>) for outcomes; when set,
    /// outcomes go to the topic <see cref="OutcomesTopic"/> instead of the Storage Queue. Default none.
    /// </summary>
    public string? OutcomesServiceBus { get; set; }

    /// <summary>The Service Bus topic the outcomes go to (sessions by Router). Default <c>mesh-outcomes</c>.</summary>
    public string OutcomesTopic { get; set; } = "mesh-outcomes";
}

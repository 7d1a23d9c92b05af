using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks;

/// <summary>Settings of the admission webhook server (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>HTTPS port Kestrel listens on. Default 8443.</summary>
    public int Port { get; set; } = 8443;

    /// <summary>Address to bind. Default <c>0.0.0.0</c> (in a pod); tests use <c>127.0.0.1</c>.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Directory holding <c>tls.crt</c> and <c>tls.key</c> (PEM), re-read when they change. Default <c>/etc/webhook/certs</c>.</summary>
    public string CertificateDirectory { get; set; } = "/etc/webhook/certs";

    /// <summary>How often the certificate files are checked for a change, besides file-system events. Default 10 s.</summary>
    public TimeSpan CertificatePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest AdmissionReview body accepted (413 above it). Default 8 MiB: an object may be 1.5 MiB in etcd and a review
    /// carries both <c>object</c> and <c>oldObject</c>, as JSON that can be larger than etcd's encoding.
    /// </summary>
    public long MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a review. Default 100.</summary>
    public int MaxJsonDepth { get; set; } = 100;

    /// <summary>
    /// Per-request deadline. Default 2 s, well under the configurations' <c>timeoutSeconds</c> (5 s): when a direct read
    /// to the API server hangs, the webhook answers by its failure rule before the API server gives up on it.
    /// </summary>
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a TLS handshake may take before the connection is dropped (default 10 s, Kestrel's own). The API server
    /// opens connections rarely and keeps them; a longer value only helps a starved machine.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Path of a kubeconfig file; empty (default) means in-cluster configuration.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The webhooks' own namespace (where the default-Sidecar writer must never deadlock). Default <c>meshfunctions</c>.</summary>
    public string OwnNamespace { get; set; } = "meshfunctions";

    /// <summary>How gRPC routes that retry on unavailable/cancelled are treated. Default <see cref="RetryPolicyMode.Deny"/>.</summary>
    public RetryPolicyMode RiskyGrpcRetries { get; set; } = RetryPolicyMode.Deny;

    /// <summary>Cluster DNS domain and Istio root namespace used by the subset guard.</summary>
    public SubsetGuardOptions SubsetGuard { get; set; } = new();

    /// <summary>Who may change objects rendered by MeshFunctions (<c>ServiceAccountUsername</c> is required).</summary>
    public ManagedObjectGuardOptions ManagedObjects { get; set; } = new();

    /// <summary>Injection settings (revision, lifecycle, locality topology), as <c>meshctl inject</c> takes them.</summary>
    public InjectionOptions Injection { get; set; } = new();

    /// <summary>
    /// Storage connection string for <c>mesh-config-events</c>. Bound from the top-level <c>AzureWebJobsStorage</c> setting
    /// (the Functions app's own) when this is empty. Required unless <see cref="PublishEvents"/> is false.
    /// </summary>
    public string? EventsConnectionString { get; set; }

    /// <summary>Send a <c>mesh-config-events</c> message for every admitted non-dry-run Router/IstioFilter/RateLimit change. Default true.</summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>
    /// How many <c>mesh-config-events</c> the in-memory outbox holds while the queue is unreachable. When full, the oldest
    /// is dropped (counted in <c>meshfunctions_webhook_events_dropped_total</c>; the reconciler's periodic full pass covers
    /// it). Default 10,000.
    /// </summary>
    public int EventOutboxCapacity { get; set; } = 10_000;

    /// <summary>Longest wait between attempts to send the outbox's oldest event (the delay doubles from 200 ms up to this). Default 30 s.</summary>
    public TimeSpan EventRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times the default-Sidecar writer waits for a new namespace to be persisted. Default 30 (1 s apart).</summary>
    public int DefaultSidecarAttempts { get; set; } = 30;

    /// <summary>Delay between the default-Sidecar writer's attempts. Default 1 s.</summary>
    public TimeSpan DefaultSidecarRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Watch request timeout (the API server closes the watch; the cache re-watches from its resourceVersion). Default 300 s.</summary>
    public int WatchTimeoutSeconds { get; set; } = 300;
}

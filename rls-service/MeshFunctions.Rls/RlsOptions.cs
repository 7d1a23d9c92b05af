namespace MeshFunctions.Rls;

/// <summary>Settings of the Rate Limit Service, bound from the <c>Rls</c> configuration section.</summary>
public sealed class RlsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Rls";

    /// <summary>Directory of <c>*.yaml</c>/<c>*.yml</c> config files (a ConfigMap mount). Default <c>/etc/rls/config</c>.</summary>
    public string ConfigDirectory { get; set; } = "/etc/rls/config";

    /// <summary>Reload when the directory changes (file events plus a poll). Default true.</summary>
    public bool WatchConfig { get; set; } = true;

    /// <summary>How often the directory is re-read even without file events. Default 10 s.</summary>
    public TimeSpan ConfigPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Serve (every domain unknown) when the first load fails instead of refusing calls. Default false.</summary>
    public bool ForceStartWithoutInitialConfig { get; set; }

    /// <summary>Where counters live. Default <see cref="RlsBackendKind.InProcess"/>.</summary>
    public RlsBackendKind Backend { get; set; } = RlsBackendKind.InProcess;

    /// <summary>
    /// StackExchange.Redis configuration string; with <c>serviceName=</c> the endpoints are Redis Sentinels and the client
    /// follows their master (REDIS_TYPE=SENTINEL). Default <c>localhost:6379</c>.
    /// </summary>
    public string RedisConfiguration { get; set; } = "localhost:6379";

    /// <summary>
    /// <see cref="RedisConfiguration"/> names a Redis Cluster (REDIS_TYPE=CLUSTER): counters of one call are grouped by the
    /// node that owns each key's slot, one script call per node, in parallel. Fixed-window keys are named as in a single
    /// Redis and in envoyproxy/ratelimit (<c>prefix + domain_k_v_ + window start</c>); sliding-window and token-bucket
    /// keys are hash-tagged (<c>{prefix+domain_k_v_#n?_}</c>). Default false.
    /// </summary>
    public bool RedisCluster { get; set; }

    /// <summary>
    /// A second Redis for the counters of per-second limits (envoyproxy/ratelimit <c>REDIS_PERSECOND</c> +
    /// <c>REDIS_PERSECOND_URL</c>): StackExchange.Redis configuration string, <c>serviceName=</c> for Sentinel as in
    /// <see cref="RedisConfiguration"/>. A call with counters in both is sent to both in parallel. TLS files, timeout,
    /// breaker and batching settings are shared with the main Redis. Default none: every counter in the main Redis.
    /// </summary>
    public string? RedisPerSecondConfiguration { get; set; }

    /// <summary><see cref="RedisPerSecondConfiguration"/> names a Redis Cluster (REDIS_PERSECOND_TYPE=CLUSTER). Default false.</summary>
    public bool RedisPerSecondCluster { get; set; }

    /// <summary>
    /// envoyproxy/ratelimit <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c>: fixed-window counters are read before they are
    /// counted; when some would go over their limit with this call, only those are incremented and the call's other
    /// counters are left as they are (so a request refused by one limit does not use up another); a call with a counter
    /// already over in the local over-limit cache increments none. Costs a second Redis round trip per call (the
    /// reference's GET pipeline), and, as in the reference, the read and the increment are not one atomic step. Default false.
    /// </summary>
    public bool StopCacheKeyIncrementWhenOverLimit { get; set; }

    /// <summary>
    /// envoyproxy/ratelimit <c>HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED</c>: with <see cref="ForceStartWithoutInitialConfig"/>,
    /// <c>/healthz</c> and gRPC health stay unhealthy until a config has loaded successfully (the forced empty start does
    /// not count). Default false: a forced start with no config is healthy, as in the reference.
    /// </summary>
    public bool HealthyWithAtLeastOneConfigLoaded { get; set; }

    /// <summary>Prefix of every counter key (envoyproxy/ratelimit <c>CACHE_KEY_PREFIX</c>). Default empty.</summary>
    public string CacheKeyPrefix { get; set; } = string.Empty;

    /// <summary>
    /// Longest wait for Redis before the failure answer is given. Default 10 ms: it must stay below the timeout of
    /// Envoy's rate limit filter (20 ms unless configured), or Envoy gives up first and applies its own
    /// <c>failure_mode_deny</c> instead of this service's <see cref="FailureMode"/>.
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Most counters the in-process backend holds; a new key beyond it sweeps expired counters, then evicts the live ones
    /// closest to expiry (a tenth of the bound at a time). Default 1,000,000 (roughly 200 MB at worst).
    /// </summary>
    public int MaxInProcessCounters { get; set; } = 1_000_000;

    /// <summary>
    /// Most calls waiting for a Redis batch; a call beyond it gets the failure mode at once (<c>rls_redis_queue_rejected_total</c>).
    /// Default 10,000.
    /// </summary>
    public int RedisMaxQueuedCalls { get; set; } = 10_000;

    /// <summary>Merge concurrent calls into one script call (fewer Redis round trips under load). Default true.</summary>
    public bool RedisBatching { get; set; } = true;

    /// <summary>Batches sent to Redis at the same time; calls arriving meanwhile wait and join the next batch. Default 4.</summary>
    public int RedisMaxBatchesInFlight { get; set; } = 4;

    /// <summary>
    /// Read Redis replies on StackExchange.Redis' own dedicated I/O threads (the library's default) instead of the
    /// .NET thread pool. Default false: on few cores the thread pool saves a thread switch per reply (measured on
    /// 2 cores: median latency at concurrency 16 from ~1.4 ms to ~0.9 ms, throughput +20–30 %; tests/bench/README.md).
    /// </summary>
    public bool RedisDedicatedSocketThreads { get; set; }

    /// <summary>
    /// Answer fixed-window counters already over their limit without Redis until their window ends
    /// (envoyproxy/ratelimit's local cache; exact, since a fixed-window count never falls within its window). Default true.
    /// </summary>
    public bool RedisOverLimitCache { get; set; } = true;

    /// <summary>The answer while Redis is failing: Open = OK, Closed = OVER_LIMIT. Default Open (Envoy's default).</summary>
    public RlsFailureMode FailureMode { get; set; } = RlsFailureMode.Open;

    /// <summary>Failure ratio that opens the circuit. Default 0.5.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the circuit may open. Default 10.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Breaker sampling window. Default 2 s.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the circuit stays open before one probe call. Default 1 s.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Add <c>RateLimit-Limit/Remaining/Reset</c> to <c>response_headers_to_add</c>. Default false.</summary>
    public bool ResponseHeadersEnabled { get; set; }

    /// <summary>Name of the limit header. Default <c>RateLimit-Limit</c>.</summary>
    public string LimitHeader { get; set; } = "RateLimit-Limit";

    /// <summary>Name of the remaining header. Default <c>RateLimit-Remaining</c>.</summary>
    public string RemainingHeader { get; set; } = "RateLimit-Remaining";

    /// <summary>Name of the reset header (seconds). Default <c>RateLimit-Reset</c>.</summary>
    public string ResetHeader { get; set; } = "RateLimit-Reset";

    /// <summary>Share of a limit above which hits count as <c>near_limit</c>. Default 0.8.</summary>
    public double NearLimitRatio { get; set; } = 0.8;

    /// <summary>Answer OK always, still counting (envoyproxy/ratelimit <c>SHADOW_MODE</c>). Default false.</summary>
    public bool GlobalShadowMode { get; set; }

    /// <summary>Treat every descriptor as <c>quota_mode</c> (envoyproxy/ratelimit <c>QUOTA_MODE</c>). Default false.</summary>
    public bool GlobalQuotaMode { get; set; }

    /// <summary>
    /// Fill the response's <c>dynamic_metadata</c> with the domain, descriptors, hits addend and the matched nodes'
    /// <c>metadata</c> (envoyproxy/ratelimit <c>RESPONSE_DYNAMIC_METADATA</c>). Default false.
    /// </summary>
    public bool ResponseDynamicMetadata { get; set; }

    /// <summary>
    /// Most metric label sets made from request values (<c>detailed_metric</c>, <c>value_to_metric</c>); later ones count
    /// under <c>rule="_overflow"</c>. Default 1000.
    /// </summary>
    public int MaxMetricLabelSets { get; set; } = 1000;

    /// <summary>gRPC (HTTP/2 cleartext) port. Default 8081.</summary>
    public int GrpcPort { get; set; } = 8081;

    /// <summary>HTTP port for <c>/healthz</c>, <c>/json</c>, <c>/metrics</c>. Default 8080.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Debug port for <c>/rlconfig</c>; 0 disables it. Default 6070.</summary>
    public int DebugPort { get; set; } = 6070;

    /// <summary>Listen on loopback only (tests, sidecars). Default false (all interfaces).</summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>Largest gRPC request accepted. Default 64 KiB.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Most descriptors in one request. Default 64.</summary>
    public int MaxDescriptors { get; set; } = 64;

    /// <summary>Most entries in one descriptor. Default 32.</summary>
    public int MaxEntries { get; set; } = 32;

    /// <summary><c>/healthz</c> fails while the last config load failed. Default true.</summary>
    public bool UnhealthyOnConfigError { get; set; } = true;

    /// <summary><c>/healthz</c> fails while the Redis circuit is open. Default true.</summary>
    public bool UnhealthyOnRedisBreakerOpen { get; set; } = true;

    /// <summary>Serve the gRPC port over TLS with this certificate chain (PEM file; envoyproxy/ratelimit <c>GRPC_SERVER_TLS_CERT</c>).</summary>
    public string? GrpcTlsCertificate { get; set; }

    /// <summary>The private key of <see cref="GrpcTlsCertificate"/> (PEM file; <c>GRPC_SERVER_TLS_KEY</c>).</summary>
    public string? GrpcTlsKey { get; set; }

    /// <summary>
    /// Mutual TLS: require a client certificate issued by this CA (PEM file; <c>GRPC_CLIENT_TLS_CACERT</c>). Calls without
    /// one, or with one from another issuer, fail the TLS handshake.
    /// </summary>
    public string? GrpcTlsClientCa { get; set; }

    /// <summary>With <see cref="GrpcTlsClientCa"/>: the client certificate must also carry this DNS name (<c>GRPC_CLIENT_TLS_SAN</c>).</summary>
    public string? GrpcTlsClientSan { get; set; }

    /// <summary>Redis over TLS: client certificate for Redis servers that verify clients (PEM file; <c>REDIS_TLS_CLIENT_CERT</c>).</summary>
    public string? RedisTlsClientCertificate { get; set; }

    /// <summary>The private key of <see cref="RedisTlsClientCertificate"/> (PEM file; <c>REDIS_TLS_CLIENT_KEY</c>).</summary>
    public string? RedisTlsClientKey { get; set; }

    /// <summary>Redis over TLS: trust server certificates issued by this CA (PEM file; <c>REDIS_TLS_CACERT</c>).</summary>
    public string? RedisTlsCaCertificate { get; set; }

    /// <summary>Path of the Prometheus endpoint on <see cref="HttpPort"/> (<c>PROMETHEUS_PATH</c>). Default <c>/metrics</c>.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>A separate port for the Prometheus endpoint (<c>PROMETHEUS_ADDR</c>); 0 serves it on <see cref="HttpPort"/>. Default 0.</summary>
    public int MetricsPort { get; set; }

    /// <summary>
    /// Merge a domain defined in several files into one (envoyproxy/ratelimit <c>MERGE_DOMAIN_CONFIG</c>); the same
    /// descriptor defined twice is still an error. Default false: a domain in two files is an error.
    /// </summary>
    public bool MergeDomainConfig { get; set; }
}

namespace MeshFunctions.Discovery;

/// <summary>Settings of Discovery (configuration section <c>Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Discovery";

    /// <summary>Upstream Consul HTTP address (default <c>http://consul:8500</c>).</summary>
    public Uri UpstreamAddress { get; set; } = new("http://consul:8500");

    /// <summary>Port of the Consul HTTP API, <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> (default 8500; 0 picks a free one).</summary>
    public int HttpPort { get; set; } = 8500;

    /// <summary>Port of the gRPC API over h2c (default 8502; 0 picks a free one).</summary>
    public int GrpcPort { get; set; } = 8502;

    /// <summary>Listen on 127.0.0.1 only instead of every address (default false; tests use true).</summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>Datacenter of the synthesized mesh answers (default <c>dc1</c>); queries naming another dc are proxied.</summary>
    public string Datacenter { get; set; } = "dc1";

    /// <summary>Node name of synthesized mesh instances (default <c>meshfunctions-mesh</c>).</summary>
    public string MeshNodeName { get; set; } = "meshfunctions-mesh";

    /// <summary>How long each upstream blocking watch waits (default 5 m, at most 10 m).</summary>
    public TimeSpan UpstreamWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Read upstream with <c>?stale</c> (default true: any server answers, no leader hot spot).</summary>
    public bool UpstreamStale { get; set; } = true;

    /// <summary>Stop watching an upstream query nobody asked for this long (default 10 m).</summary>
    public TimeSpan ViewIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most upstream queries watched at once (default 4096); a query beyond is read for its request only.</summary>
    public int MaxUpstreamViews { get; set; } = 4096;

    /// <summary>Largest request body proxied upstream (default 1 MiB; Consul's KV value limit is 512 KiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Serve blocking reads (<c>GET</c> with <c>index</c>) of plain HTTP/1.1 requests on Kestrel's transport, without
    /// its per-request HTTP state, so a parked watcher costs less memory (default true; false: Kestrel's pipeline
    /// serves every request).
    /// </summary>
    public bool LeanWatches { get; set; } = true;

    /// <summary>Kubeconfig file; empty uses the in-cluster configuration.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Namespace of the ConfigMap holding the global rollback switch (default <c>meshfunctions</c>).</summary>
    public string SwitchNamespace { get; set; } = "meshfunctions";

    /// <summary>Name of that ConfigMap (default <c>discovery-switch</c>); key <c>globalRollback</c> = <c>"true"</c> turns Discovery into a pure Consul proxy.</summary>
    public string SwitchConfigMap { get; set; } = "discovery-switch";

    /// <summary>
    /// Name of the ConfigMap in <see cref="SwitchNamespace"/> where replicas share tombstones (default
    /// <c>discovery-state</c>): the resourceVersions of deleted Routers, Services, EndpointSlices and of the switch
    /// ConfigMap, so that indexes never go backwards across restarts. Discovery creates and updates it.
    /// </summary>
    public string StateConfigMap { get; set; } = "discovery-state";

    /// <summary>Most tombstones kept in <see cref="StateConfigMap"/> (default 10,000; the lowest are dropped first).</summary>
    public int MaxStoredTombstones { get; set; } = 10_000;

    /// <summary>Port of the Consul DNS interface, UDP and TCP (default 8600; 0 picks a free one; -1 disables DNS).</summary>
    public int DnsPort { get; set; } = 8600;

    /// <summary>DNS domain (default <c>consul.</c>).</summary>
    public string DnsDomain { get; set; } = "consul.";

    /// <summary>Most answer records in a UDP answer without EDNS (Consul's <c>udp_answer_limit</c>, default 3).</summary>
    public int DnsUdpAnswerLimit { get; set; } = 3;

    /// <summary>Most UDP queries answered at once (default 256); past it datagrams wait in the kernel's socket buffer.</summary>
    public int DnsUdpInFlight { get; set; } = 256;
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Discovery.Tests.Infrastructure;

/// <summary>
/// Discovery on loopback against the test kit's Consul and Kubernetes stand-ins. Callers act as different
/// pods by binding their client sockets to different 127.0.0.x source addresses.
/// </summary>
public sealed class DiscoveryHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    public const string Ns = "shop";

    private readonly List<WebApplication> _replicas = [];
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), "mf-discovery-" + Guid.NewGuid().ToString("N") + ".yaml");

    private DiscoveryHarness(FakeConsul consul, FakeKubernetesApi kube)
    {
        Consul = consul;
        Kube = kube;
        Client = kube.CreateClient();
        kube.WriteKubeconfig(_kubeconfig);
    }

    public FakeConsul Consul { get; }

    public FakeKubernetesApi Kube { get; }

    public IKubernetes Client { get; }

    public Uri Address => ReplicaAddress(0);

    /// <summary>The gRPC port of the replica started last.</summary>
    public int GrpcPort { get; private set; }

    /// <summary>The DNS port of the replicas (-1: DNS off).</summary>
    public int DnsPort { get; private set; } = -1;

    /// <summary>Extra configuration for every replica (e.g. <c>AzureWebJobsStorage</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>More set-up of every replica's builder, after the settings (e.g. Kestrel limits).</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; private set; }

    public static async Task<DiscoveryHarness> StartAsync(Action<FakeConsul>? seedConsul = null, int replicas = 1, bool dns = false, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var consul = await FakeConsul.StartAsync();
        var kube = await FakeKubernetesApi.StartAsync();
        seedConsul?.Invoke(consul);
        var harness = new DiscoveryHarness(consul, kube) { DnsPort = dns ? FreeUdpAndTcpPort() : -1, ConfigureBuilder = configure };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            harness.Settings[key] = value;
        }
        await harness.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        for (var i = 0; i < replicas; i++)
        {
            await harness.StartReplicaAsync();
        }

        return harness;
    }

    public Uri ReplicaAddress(int replica)
    {
        var address = _replicas[replica].Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    public IServiceProvider Services(int replica = 0) => _replicas[replica].Services;

    /// <summary>Starts one more replica; free ports are picked then bound, so a port taken in between is retried.</summary>
    public async Task StartReplicaAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = BuildReplica();
            try
            {
                await app.StartAsync();
                _replicas.Add(app);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is IOException or SocketException)
            {
                await app.DisposeAsync();
                if (DnsPort >= 0)
                {
                    DnsPort = FreeUdpAndTcpPort();
                }
            }
        }

        using var http = new HttpClient { BaseAddress = ReplicaAddress(_replicas.Count - 1) };
        await Until(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
    }

    private WebApplication BuildReplica() =>
        DiscoveryApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Discovery:UpstreamAddress"] = Consul.Address.ToString(),
                ["Discovery:HttpPort"] = "0",
                ["Discovery:GrpcPort"] = (GrpcPort = FreeTcpPort()).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Discovery:DnsPort"] = DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Discovery:LoopbackOnly"] = "true",
                ["Discovery:Kubeconfig"] = _kubeconfig,
                ["Discovery:SwitchNamespace"] = Ns,
                ["Discovery:UpstreamWait"] = "00:00:20",
                ["Logging:LogLevel:Default"] = "Warning",
            }).AddInMemoryCollection(Settings);
            ConfigureBuilder?.Invoke(builder);
        });

    /// <summary>An HTTP client whose connections come from <paramref name="sourceIp"/> (a 127.0.0.x address).</summary>
    public HttpClient ClientFrom(string sourceIp, int replica = 0) => CreateClient(sourceIp, ReplicaAddress(replica));

    public static HttpClient CreateClient(string sourceIp, Uri baseAddress) =>
        new(CreateHandler(sourceIp)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(3) };

    /// <summary>A handler whose connections come from <paramref name="sourceIp"/>.</summary>
    public static SocketsHttpHandler CreateHandler(string sourceIp) =>
        new()
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceIp), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

    /// <summary>A pod at <paramref name="ip"/>: injected (mesh caller) or not.</summary>
    public JsonObject SeedPod(string name, string ip, bool inMesh, string app = "client") => Kube.Seed(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { ["app"] = app, ["sidecar.istio.io/inject"] = inMesh ? "true" : "false" },
        },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
        ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = ip },
    });

    public JsonObject SeedService(string name, string clusterIp, int port) => Kube.Seed(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIp,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["protocol"] = "TCP" }),
        },
    });

    public JsonObject SeedSlice(string service, params bool[] ready) => Kube.Seed(new JsonObject
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject { ["name"] = service + "-abc", ["namespace"] = Ns, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service } },
        ["addressType"] = "IPv4",
        ["endpoints"] = Endpoints(ready),
    });

    public Task SetReadyAsync(string service, params bool[] ready) =>
        Client.DiscoveryV1.PatchNamespacedEndpointSliceAsync(new V1Patch(new JsonObject { ["endpoints"] = Endpoints(ready) }.ToJsonString(), V1Patch.PatchType.MergePatch), service + "-abc", Ns);

    public JsonObject SeedRouter(string name, int port) => Kube.Seed(new JsonObject
    {
        ["apiVersion"] = "router.service-mesh.zhihu.com/v1",
        ["kind"] = "Router",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["port"] = port, ["protocol"] = "http", ["subsets"] = new JsonArray(new JsonObject { ["branch"] = "master" }) },
    });

    public Task DeleteRouterAsync(string name) =>
        Client.CustomObjects.DeleteNamespacedCustomObjectAsync("router.service-mesh.zhihu.com", "v1", Ns, "routers", name);

    public Task LabelRouterAsync(string name, string key, string value) =>
        Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } }.ToJsonString(), V1Patch.PatchType.MergePatch), "router.service-mesh.zhihu.com", "v1", Ns, "routers", name);

    /// <summary>Sets the global rollback switch (creates its ConfigMap on first use).</summary>
    public async Task SetGlobalRollbackAsync(bool on)
    {
        var data = new Dictionary<string, string> { ["globalRollback"] = on ? "true" : "false" };
        try
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "discovery-switch", NamespaceProperty = Ns }, Data = data }, Ns);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new JsonObject { ["data"] = new JsonObject { ["globalRollback"] = on ? "true" : "false" } }.ToJsonString(), V1Patch.PatchType.MergePatch), "discovery-switch", Ns);
        }
    }

    /// <summary>A service in the mesh: Router, Service with a ClusterIP, ready endpoints.</summary>
    public void SeedMeshTarget(string name, string clusterIp, int port, int ready = 2)
    {
        SeedService(name, clusterIp, port);
        SeedSlice(name, [.. Enumerable.Repeat(true, ready)]);
        SeedRouter(name, port);
    }

    /// <summary>Waits until <paramref name="caller"/> gets exactly <paramref name="addresses"/> from catalog/service/<paramref name="service"/>.</summary>
    public async Task WaitForCatalogAsync(string caller, string service, params string[] addresses)
    {
        using var client = ClientFrom(caller);
        await Until(async () => (await ConsulReply.GetAsync(client, "/v1/catalog/service/" + service)).CatalogAddresses().SequenceEqual(addresses), $"{caller} sees {service} at {string.Join(", ", addresses)}");
    }

    /// <summary>How many blocking queries and gRPC watches have parked on <paramref name="replica"/> (<c>discovery_blocked_total</c>).</summary>
    public double BlockedTotal(int replica = 0) =>
        Services(replica).GetRequiredService<MeshFunctions.Discovery.Observability.DiscoveryMetrics>().Blocked.Value;

    public static async Task Until(Func<Task<bool>> condition, string? what = null)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not up yet
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException("condition not met: " + what);
            }

            await Task.Delay(25);
        }
    }

    public async Task StopReplicaAsync(int replica)
    {
        await _replicas[replica].StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _replicas)
        {
            try
            {
                await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            }
            catch (ObjectDisposedException)
            {
            }

            await app.DisposeAsync();
        }

        Client.Dispose();
        await Kube.DisposeAsync();
        await Consul.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    private static int FreeTcpPort()
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        return ((IPEndPoint)tcp.LocalEndpoint).Port;
    }

    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // taken for UDP: try another
            }
        }
    }

    private static JsonArray Endpoints(bool[] ready)
    {
        var endpoints = new JsonArray();
        for (var i = 0; i < ready.Length; i++)
        {
            endpoints.Add(new JsonObject { ["addresses"] = new JsonArray($"10.1.0.{i + 1}"), ["conditions"] = new JsonObject { ["ready"] = ready[i] } });
        }

        return endpoints;
    }
}

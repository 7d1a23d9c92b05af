using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Discovery.Bench;

/// <summary>
/// The measured process: Discovery alone (the stand-ins it talks to run in the driver), plus bench endpoints on
/// the same stack: <c>/bench/empty</c> (the baseline: an empty handler answering <c>[]</c>) and <c>/bench/gc</c> (managed
/// heap and committed MB).
/// </summary>
internal static class BenchServer
{
    /// <summary>
    /// The test kit's Consul and Kubernetes stand-ins, started by the driver (not the measured process): <c>web</c> has
    /// 3 upstream instances and is a mesh target (Router, Service, ready endpoints); 127.0.0.2 is a mesh pod, 127.0.0.3
    /// a legacy one. Returns the kubeconfig path.
    /// </summary>
    public static string Seed(FakeConsul consul, FakeKubernetesApi kube)
    {
        for (var i = 1; i <= 3; i++)
        {
            consul.RegisterService($"haproxy-{i}", $"10.0.0.{i}", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
        }

        kube.Seed(Obj("v1", "Namespace", null, "meshfunctions", new JsonObject()));
        kube.Seed(Pod("mesh", "127.0.0.2", true));
        kube.Seed(Pod("legacy", "127.0.0.3", false));
        kube.Seed(Obj("v1", "Service", "default", "web", new JsonObject { ["spec"] = new JsonObject { ["clusterIP"] = "10.96.0.10", ["ports"] = new JsonArray(new JsonObject { ["port"] = 8080 }) } }));
        kube.Seed(Obj("discovery.k8s.io/v1", "EndpointSlice", "default", "web-1", new JsonObject
        {
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray("10.1.0.1"), ["conditions"] = new JsonObject { ["ready"] = true } }),
        }, new JsonObject { ["kubernetes.io/service-name"] = "web" }));
        kube.Seed(Obj("router.service-mesh.zhihu.com/v1", "Router", "default", "web", new JsonObject { ["spec"] = new JsonObject { ["port"] = 8080, ["subsets"] = new JsonArray(new JsonObject { ["branch"] = "master" }) } }));
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"mf-discovery-bench-{Environment.ProcessId}.yaml");
        kube.WriteKubeconfig(kubeconfig);
        return kubeconfig;
    }

    /// <summary>The measured process: Discovery alone, against the driver's stand-ins.</summary>
    public static async Task RunAsync(string consulAddress, string kubeconfig)
    {
        var dnsPort = FreePort();
        var app = DiscoveryApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discovery:UpstreamAddress"] = consulAddress,
            ["Discovery:HttpPort"] = "0",
            ["Discovery:GrpcPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Discovery:DnsPort"] = dnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Discovery:LoopbackOnly"] = "true",
            ["Discovery:Kubeconfig"] = kubeconfig,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        // Plain RequestDelegates: no generated parameter binding (and no expression compiler loaded) in the measured process.
        app.MapGet("/bench/empty", (RequestDelegate)(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("[]");
        }));
        app.MapGet("/bench/gc", (RequestDelegate)(context =>
        {
            var info = GC.GetGCMemoryInfo();
            return context.Response.WriteAsync($"{info.HeapSizeBytes / (1024 * 1024)} {info.TotalCommittedBytes / (1024 * 1024)}");
        }));
        await app.StartAsync();
        var http = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        Console.WriteLine($"READY {http} {dnsPort} {Environment.ProcessId}");
        await Console.In.ReadLineAsync();
        await app.StopAsync();
    }

    private static int FreePort()
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        return ((IPEndPoint)tcp.LocalEndpoint).Port;
    }

    private static JsonObject Pod(string name, string ip, bool mesh) => Obj("v1", "Pod", "default", name, new JsonObject
    {
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
        ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = ip },
    }, new JsonObject { ["app"] = name, ["sidecar.istio.io/inject"] = mesh ? "true" : "false" });

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name, JsonObject body, JsonObject? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        body["apiVersion"] = apiVersion;
        body["kind"] = kind;
        body["metadata"] = meta;
        return body;
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Clients;

/// <summary>
/// Unmodified real clients against Discovery: Debian's python3-consul 0.7.1 and npm's consul 2.0.1
/// (installed by eng/test.sh). The client process runs on 127.0.0.1, which the test makes a mesh pod's IP:
/// it gets the ServiceIP for the mesh target <c>web</c> and upstream's HAProxy instances for <c>db</c>.
/// </summary>
public sealed class RealClientTests : IAsyncLifetime
{
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul =>
        {
            consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
            consul.RegisterService("haproxy-3", "10.0.0.7", "db", ["primary"], 5432, new ConsulCheck(ConsulHealth.Passing));
            consul.RegisterService("haproxy-4", "10.0.0.8", "db", ["replica"], 5432, new ConsulCheck(ConsulHealth.Warning));
        });
        _h.SeedPod("client", "127.0.0.1", inMesh: true);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync("127.0.0.1", "web", "10.96.0.10:8080");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task PythonConsul_LookupsKvRegisterAndBlockingWatch_Work()
    {
        await using var script = ClientScript.Start(Python(), Path.Combine(AppContext.BaseDirectory, "Clients", "python_client.py"), _h.Address.Port.ToString());

        var seen = await script.ReadUntilAsync("blocking");
        _h.Consul.RegisterService("haproxy-5", "10.0.0.9", "db", ["primary"], 5432, new ConsulCheck(ConsulHealth.Passing));
        var woke = (await script.ReadUntilAsync("woke"))["woke"]!;

        AssertLookups(seen);
        Assert.True(seen["kv-put"]!.GetValue<bool>());
        Assert.Equal("on", seen["kv-get"]!.GetValue<string>());
        Assert.Equal(["cfg/app"], Strings(seen["kv-recurse"]));
        Assert.Equal(["cfg/app"], Strings(seen["kv-keys"]));
        Assert.Null(seen["kv-missing"]);
        Assert.True(seen["register"]!.GetValue<bool>());
        Assert.Equal(["10.0.0.9:9000"], Strings(seen["registered"]));
        Assert.True(seen["deregister"]!.GetValue<bool>());
        Assert.Empty(Strings(seen["deregistered"]));
        Assert.Equal("127.0.0.1:8300", seen["leader"]!.GetValue<string>());
        Assert.Equal("dc1", seen["dc"]!.GetValue<string>());
        Assert.Equal(["10.0.0.7:5432", "10.0.0.8:5432", "10.0.0.9:5432"], Strings(woke["addresses"]));
        Assert.True(woke["index"]!.GetValue<long>() > woke["before"]!.GetValue<long>());
    }

    [Fact]
    public async Task NodeConsul_LookupsKvRegisterAndWatch_Work()
    {
        await using var script = ClientScript.Start("node", Path.Combine(AppContext.BaseDirectory, "Clients", "node_client.js"), NodeModule(), _h.Address.Port.ToString());

        var seen = await script.ReadUntilAsync("blocking");
        _h.Consul.RegisterService("haproxy-5", "10.0.0.9", "db", ["primary"], 5432, new ConsulCheck(ConsulHealth.Passing));
        var woke = (await script.ReadUntilAsync("woke"))["woke"]!;

        AssertLookups(seen);
        Assert.True(seen["kv-put"]!.GetValue<bool>());
        Assert.Equal("yes", seen["kv-get"]!.GetValue<string>());
        Assert.Contains("cfg/node", Strings(seen["kv-recurse"]));
        Assert.Null(seen["kv-missing"]);
        Assert.Equal(["10.0.0.10:9001"], Strings(seen["registered"]));
        Assert.Empty(Strings(seen["deregistered"]));
        Assert.Equal("127.0.0.1:8300", seen["leader"]!.GetValue<string>());
        Assert.Equal("dc1", seen["dc"]!.GetValue<string>());
        Assert.Equal(["10.0.0.7:5432", "10.0.0.8:5432", "10.0.0.9:5432"], Strings(woke["addresses"]));
        Assert.Contains(_h.Consul.Requests, r => r.Token == "node-token");
    }

    /// <summary>What both clients must see: the mesh target at its ServiceIP, the legacy one at HAProxy, passing and tags applied.</summary>
    private static void AssertLookups(Dictionary<string, JsonNode?> seen)
    {
        Assert.Equal(["10.96.0.10:8080"], Strings(seen["catalog-web"]));
        Assert.Equal(["10.0.0.7:5432", "10.0.0.8:5432"], Strings(seen["catalog-db"]));
        Assert.Equal(["10.0.0.7:5432"], Strings(seen["catalog-db-tag"]));
        Assert.Equal(["10.0.0.7:5432"], Strings(seen["health-db-passing"]));
        Assert.Equal(["10.96.0.10:8080"], Strings(seen["health-web-passing"]));
        Assert.Equal(["consul", "db", "web"], Strings(seen["services"]));
    }

    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>Debian's python3-consul installs for the system interpreter, which may not be first on PATH.</summary>
    private static string Python() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>npm's consul, installed by eng/test.sh into .tools/ (or MF_NODE_CONSUL).</summary>
    internal static string NodeModule()
    {
        if (Environment.GetEnvironmentVariable("MF_NODE_CONSUL") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "node_modules", "consul");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("npm package 'consul' is missing: run eng/test.sh (installs it into .tools/) or set MF_NODE_CONSUL");
    }
}

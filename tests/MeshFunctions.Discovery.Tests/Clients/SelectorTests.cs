using System.Text.Json.Nodes;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Clients;

/// <summary>
/// <c>filter</c>, <c>node-meta</c> and <c>near</c> through npm's consul 2.0.1, unmodified, asked by a mesh caller and by a
/// legacy caller for the same mesh target. Upstream (the test kit's Consul, which evaluates Consul's filter language)
/// selects the instances; the legacy caller gets them unchanged, the mesh caller gets the ServiceIP instance carrying the
/// selected instances' tags, or <c>[]</c> when nothing is selected, and the same 400 and text as the legacy caller for
/// a malformed filter.
/// </summary>
public sealed class SelectorTests : IAsyncLifetime
{
    private const string Mesh = "10.96.0.10:8080";

    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul =>
        {
            consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
            consul.RegisterService("haproxy-2", "10.0.0.6", "web", ["v1", "v2"], 8080, new ConsulCheck(ConsulHealth.Passing));
        });
        _h.SeedPod("client", "127.0.0.1", inMesh: true);
        _h.SeedPod("legacy", "127.0.0.3", inMesh: false, app: "legacy");
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync("127.0.0.1", "web", Mesh);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task NodeConsul_FilterNodeMetaNear_MeshAnswerFollowsUpstreamSelection()
    {
        await using var script = ClientScript.Start("node", Path.Combine(AppContext.BaseDirectory, "Clients", "node_selectors.js"), RealClientTests.NodeModule(), _h.Address.Port.ToString());

        var seen = await script.ReadUntilAsync("done");

        Assert.Null(seen.GetValueOrDefault("error"));
        AssertPair(seen["catalog-filter"], [$"{Mesh} v1"], ["10.0.0.5:8080 v1"]);
        AssertPair(seen["catalog-filter-none"], [], []);
        AssertPair(seen["health-filter"], [$"{Mesh} v1,v2"], ["10.0.0.6:8080 v1,v2"]);
        AssertPair(seen["catalog-node-meta"], [$"{Mesh} v1,v2"], ["10.0.0.5:8080 v1", "10.0.0.6:8080 v1,v2"]);
        AssertPair(seen["catalog-node-meta-none"], [], []);
        AssertPair(seen["catalog-near"], [$"{Mesh} v1,v2"], ["10.0.0.5:8080 v1", "10.0.0.6:8080 v1,v2"]);
        foreach (var step in new[] { "catalog-filter-bad", "health-filter-bad" })
        {
            var mesh = seen[step]!["mesh"]!.AsObject();
            var legacy = seen[step]!["legacy"]!.AsObject();
            Assert.Equal(400, mesh["status"]!.GetValue<int>());
            Assert.Equal(400, legacy["status"]!.GetValue<int>());
            Assert.Contains("Failed to create boolean expression evaluator", legacy["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(legacy["message"]!.GetValue<string>(), mesh["message"]!.GetValue<string>());
        }
    }

    private static void AssertPair(JsonNode? pair, string[] mesh, string[] legacy)
    {
        Assert.Equal(mesh, Strings(pair!["mesh"]));
        Assert.Equal(legacy, Strings(pair!["legacy"]));
    }

    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];
}

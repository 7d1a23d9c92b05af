using System.Net;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>Consul down, Kubernetes down, both back: last-known-good answers, flagged; never a ServiceIP without ready endpoints.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul =>
        {
            consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
            consul.RegisterService("haproxy-3", "10.0.0.7", "db", ["v1"], 5432, new ConsulCheck(ConsulHealth.Passing));
        });
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ConsulDown_LastKnownGoodFlaggedAndLastContactGrows_ThenRecovers()
    {
        using var legacy = _h.ClientFrom(LegacyCaller);
        using var mesh = _h.ClientFrom(MeshCaller);
        var healthy = await ConsulReply.GetAsync(legacy, "/v1/health/service/db");
        Assert.True(healthy.KnownLeader);

        await _h.Consul.StopAsync();
        await DiscoveryHarness.Until(async () => !(await ConsulReply.GetAsync(legacy, "/v1/health/service/db")).KnownLeader, "flagged");
        var first = await ConsulReply.GetAsync(legacy, "/v1/health/service/db");
        await Task.Delay(300);
        var later = await ConsulReply.GetAsync(legacy, "/v1/health/service/db");
        var meshDuring = await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web");

        Assert.Equal(HttpStatusCode.OK, later.Status);
        Assert.Equal(healthy.Body, later.Body);
        Assert.True(later.LastContact > first.LastContact, $"LastContact {later.LastContact} should grow past {first.LastContact}");
        Assert.Equal(["10.96.0.10:8080"], meshDuring.CatalogAddresses());
        Assert.False(meshDuring.KnownLeader);

        await _h.Consul.RestartAsync();
        _h.Consul.RegisterService("haproxy-4", "10.0.0.8", "db", ["v1"], 5432, new ConsulCheck(ConsulHealth.Passing));
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(legacy, "/v1/health/service/db")) is { KnownLeader: true } r && r.HealthAddresses().Count == 2, "recovered");
    }

    [Fact]
    public async Task KubernetesDown_LastKnownGoodFlagged_ThenChangesSeenAgain()
    {
        using var mesh = _h.ClientFrom(MeshCaller);
        _h.Kube.Faults.FailNext(100_000, 503);
        _h.Kube.DropWatches();

        await DiscoveryHarness.Until(async () => !(await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web")).KnownLeader, "flagged");
        var during = await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web");
        Assert.Equal(["10.96.0.10:8080"], during.CatalogAddresses());

        _h.Kube.Faults.Clear();
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web")).KnownLeader, "reconnected");
        await _h.SetReadyAsync("web", false);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web")).CatalogAddresses() is ["10.0.0.5:8080"], "legacy after endpoints went unready");
    }

    [Fact]
    public async Task KubernetesHistoryCompacted_RelistsAndSeesChange()
    {
        using var mesh = _h.ClientFrom(MeshCaller);
        _h.Kube.CompactHistory();
        _h.Kube.DropWatches();
        await _h.SetReadyAsync("web", false);

        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web")).CatalogAddresses() is ["10.0.0.5:8080"], "legacy after relist");
    }
}

using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>Blocking queries: migration, rollback and upstream changes wake blocked watchers; indexes only grow.</summary>
public sealed class BlockingTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul => consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing)));
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task HealthService_Unchanged_BlocksUntilWaitThenSameIndex()
    {
        using var client = _h.ClientFrom(MeshCaller);
        var first = await ConsulReply.GetAsync(client, "/v1/health/service/web");

        var parked = _h.BlockedTotal();
        var second = await ConsulReply.GetAsync(client, $"/v1/health/service/web?index={first.Index}&wait=1s");

        // It parked (counted) rather than answering at once, and came back with the same index when the wait ran out.
        Assert.Equal(first.Index, second.Index);
        Assert.Equal(parked + 1, _h.BlockedTotal());
    }

    [Fact]
    public async Task HealthService_Migration_MeshWatcherSwitchesLegacyWatcherKeepsInstances()
    {
        using var mesh = _h.ClientFrom(MeshCaller);
        using var legacy = _h.ClientFrom(LegacyCaller);
        var meshBefore = await ConsulReply.GetAsync(mesh, "/v1/health/service/web");
        var legacyBefore = await ConsulReply.GetAsync(legacy, "/v1/health/service/web");
        Assert.Equal(["10.0.0.5:8080"], meshBefore.HealthAddresses());

        var meshWatch = ConsulReply.GetAsync(mesh, $"/v1/health/service/web?index={meshBefore.Index}&wait=2m");
        var legacyWatch = ConsulReply.GetAsync(legacy, $"/v1/health/service/web?index={legacyBefore.Index}&wait=2m");
        await Task.Delay(200);
        // Consul's contract lets a blocking query return early (an informer event may move the index); what it
        // may not do is show the mesh answer before the migration happened.
        if (meshWatch.IsCompleted)
        {
            Assert.Equal(["10.0.0.5:8080"], (await meshWatch).HealthAddresses());
        }

        // The migration: Service and Router appear, endpoints become ready.
        _h.SeedService("web", "10.96.0.10", 8080);
        _h.SeedRouter("web", 8080);
        _h.SeedSlice("web", true);

        var meshAfter = await WaitForAsync(mesh, meshWatch, "/v1/health/service/web", r => r.HealthAddresses() is ["10.96.0.10:8080"]);
        var legacyAfter = await legacyWatch.WaitAsync(DiscoveryHarness.Patience);

        Assert.True(meshAfter.Index > meshBefore.Index);
        Assert.Equal(["10.0.0.5:8080"], legacyAfter.HealthAddresses());
        Assert.True(legacyAfter.Index >= legacyBefore.Index);
    }

    [Fact]
    public async Task CatalogService_GlobalRollback_BlockedMeshWatcherGetsUpstreamThenBack()
    {
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
        using var mesh = _h.ClientFrom(MeshCaller);
        var before = await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web");
        var watch = ConsulReply.GetAsync(mesh, $"/v1/catalog/service/web?index={before.Index}&wait=5m");

        await _h.SetGlobalRollbackAsync(true);
        var rolledBack = await watch.WaitAsync(DiscoveryHarness.Patience);

        Assert.Equal(["10.0.0.5:8080"], rolledBack.CatalogAddresses());
        Assert.True(rolledBack.Index > before.Index);

        await _h.SetGlobalRollbackAsync(false);
        var restored = await ConsulReply.GetAsync(mesh, $"/v1/catalog/service/web?index={rolledBack.Index}&wait=5m");
        Assert.Equal(["10.96.0.10:8080"], restored.CatalogAddresses());
        Assert.True(restored.Index > rolledBack.Index);
    }

    [Fact]
    public async Task HealthService_UpstreamChange_WakesLegacyWatcher()
    {
        using var legacy = _h.ClientFrom(LegacyCaller);
        var before = await ConsulReply.GetAsync(legacy, "/v1/health/service/web");
        var watch = ConsulReply.GetAsync(legacy, $"/v1/health/service/web?index={before.Index}&wait=5m");
        await Task.Delay(200);

        _h.Consul.RegisterService("haproxy-2", "10.0.0.6", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));

        // The stand-in registers the new node (with its serfHealth check) and then the service: two index steps, so the
        // first wake may carry the node's step only. A Consul client's watch loop blocks again on the new index; so do we.
        var after = await watch.WaitAsync(DiscoveryHarness.Patience);
        Assert.True(after.Index > before.Index);
        while (after.HealthAddresses().Count < 2)
        {
            var next = await ConsulReply.GetAsync(legacy, $"/v1/health/service/web?index={after.Index}&wait=5m").WaitAsync(DiscoveryHarness.Patience);
            Assert.True(next.Index > after.Index);
            after = next;
        }

        Assert.Equal(["10.0.0.5:8080", "10.0.0.6:8080"], after.HealthAddresses());
    }

    [Fact]
    public async Task CatalogService_RouterDeleted_IndexKeepsGrowing()
    {
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
        using var mesh = _h.ClientFrom(MeshCaller);
        var before = await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web");
        var watch = ConsulReply.GetAsync(mesh, $"/v1/catalog/service/web?index={before.Index}&wait=5m");

        await _h.DeleteRouterAsync("web");

        var after = await watch.WaitAsync(DiscoveryHarness.Patience);
        Assert.Equal(["10.0.0.5:8080"], after.CatalogAddresses());
        Assert.True(after.Index > before.Index);
    }

    private static async Task<ConsulReply> WaitForAsync(HttpClient client, Task<ConsulReply> first, string path, Func<ConsulReply, bool> done)
    {
        var reply = await first.WaitAsync(DiscoveryHarness.Patience);
        using var cts = new CancellationTokenSource(DiscoveryHarness.Patience);
        while (!done(reply))
        {
            cts.Token.ThrowIfCancellationRequested();
            reply = await ConsulReply.GetAsync(client, $"{path}?index={reply.Index}&wait=30s");
        }

        return reply;
    }
}

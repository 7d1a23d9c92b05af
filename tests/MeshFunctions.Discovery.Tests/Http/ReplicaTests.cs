using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>Two replicas behind one address: an index from one is valid at the other (same state, same index).</summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul => consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing)), replicas: 2);
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        for (var i = 0; i < 2; i++)
        {
            using var client = _h.ClientFrom(MeshCaller, i);
            await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(client, "/v1/health/service/web")).HealthAddresses() is ["10.96.0.10:8080"], "mesh answer at replica " + i);
        }
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/v1/health/service/web")]
    [InlineData("/v1/catalog/service/web")]
    public async Task Index_SameStateOnBothReplicas_Equal(string path)
    {
        using var a = _h.ClientFrom(MeshCaller, 0);
        using var b = _h.ClientFrom(MeshCaller, 1);

        var fromA = await ConsulReply.GetAsync(a, path);
        var fromB = await ConsulReply.GetAsync(b, path);

        Assert.Equal(fromA.Index, fromB.Index);
        Assert.Equal(fromA.Body, fromB.Body);
    }

    [Fact]
    public async Task Watcher_HoppingBetweenReplicas_BlocksThenSeesEachChange()
    {
        using var a = _h.ClientFrom(MeshCaller, 0);
        using var b = _h.ClientFrom(MeshCaller, 1);
        var start = await ConsulReply.GetAsync(a, "/v1/health/service/web");

        // No spurious immediate return at the other replica.
        var parked = _h.BlockedTotal(1);
        var quiet = await ConsulReply.GetAsync(b, $"/v1/health/service/web?index={start.Index}&wait=1s");
        Assert.Equal(parked + 1, _h.BlockedTotal(1));
        Assert.Equal(start.Index, quiet.Index);

        // A change seen through the other replica: endpoints go unready → legacy.
        var parkedB = _h.BlockedTotal(1);
        var watchB = ConsulReply.GetAsync(b, $"/v1/health/service/web?index={start.Index}&wait=5m");
        await DiscoveryHarness.Until(() => Task.FromResult(_h.BlockedTotal(1) > parkedB), "the watch parked at replica B");
        await _h.SetReadyAsync("web", false);
        var changed = await watchB.WaitAsync(DiscoveryHarness.Patience);
        Assert.Equal(["10.0.0.5:8080"], changed.HealthAddresses());

        // Hop back to A with B's index: A blocks until the next change, then answers above it.
        var parkedA = _h.BlockedTotal(0);
        var watchA = ConsulReply.GetAsync(a, $"/v1/health/service/web?index={changed.Index}&wait=5m");
        await DiscoveryHarness.Until(() => Task.FromResult(_h.BlockedTotal(0) > parkedA), "replica A parked the watch with replica B's index");
        Assert.False(watchA.IsCompleted, "replica A returned at once for an index replica B handed out");
        await _h.SetReadyAsync("web", true);
        var back = await watchA.WaitAsync(DiscoveryHarness.Patience);
        Assert.True(back.Index > changed.Index);
        Assert.Equal(["10.96.0.10:8080"], back.HealthAddresses());
    }

    [Fact]
    public async Task Index_ReplicaRestarted_NotBelowBefore()
    {
        using var a = _h.ClientFrom(MeshCaller, 0);
        var before = await ConsulReply.GetAsync(a, "/v1/health/service/web");

        await _h.StartReplicaAsync();
        using var c = _h.ClientFrom(MeshCaller, 2);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(c, "/v1/health/service/web")).HealthAddresses() is ["10.96.0.10:8080"], "mesh answer at the new replica");
        var after = await ConsulReply.GetAsync(c, "/v1/health/service/web");

        Assert.Equal(before.Index, after.Index);
    }
}

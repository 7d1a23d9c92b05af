using System.Net;
using k8s;
using k8s.Autorest;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>
/// Indexes never go backwards across restarts: the tombstones of deleted objects (whose resourceVersions Kubernetes
/// forgets) are shared through the state ConfigMap, so a replica started after a deletion answers with the same index
/// as the replica that saw it.
/// </summary>
public sealed class RestartIndexTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string StateMap = "discovery-state";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul => consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing)));
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        using var client = _h.ClientFrom(MeshCaller);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(client, "/v1/health/service/web")).HealthAddresses() is ["10.96.0.10:8080"], "mesh answer");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/v1/health/service/web")]
    [InlineData("/v1/catalog/service/web")]
    public async Task Index_RouterDeletedThenRestarted_SameIndexAndAnswer(string path)
    {
        var router = await RouterVersionAsync("web");
        await _h.DeleteRouterAsync("web");
        var before = await LegacyAnswerAsync(0, path);
        await WaitForStoredAsync("shop.web", v => v > router);

        await _h.StopReplicaAsync(0);
        await _h.StartReplicaAsync();
        var after = await LegacyAnswerAsync(1, path);

        // Without the stored tombstone the restarted replica would add the Service's older version instead.
        Assert.Equal(before.Index, after.Index);
        Assert.Equal(before.Body, after.Body);
    }

    [Fact]
    public async Task Index_WholeTargetDeletedThenRestarted_NotBelowBefore()
    {
        await _h.DeleteRouterAsync("web");
        await _h.Client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-abc", DiscoveryHarness.Ns);
        await _h.Client.CoreV1.DeleteNamespacedServiceAsync("web", DiscoveryHarness.Ns);
        var deletedAt = (ulong)_h.Kube.Writes.Last(w => w.Verb == KubeWriteVerb.Delete && w.Name == "web" && w.Type.Plural == "services").ResourceVersion;
        await WaitForStoredAsync("shop.web", v => v == deletedAt);
        var before = await LegacyAnswerAsync(0, "/v1/health/service/web");

        await _h.StopReplicaAsync(0);
        await _h.StartReplicaAsync();
        var after = await LegacyAnswerAsync(1, "/v1/health/service/web");

        Assert.Equal(before.Index, after.Index);
    }

    [Fact]
    public async Task Index_SwitchConfigMapDeletedThenRestarted_NotBelowBefore()
    {
        await _h.SetGlobalRollbackAsync(true);
        await LegacyAnswerAsync(0, "/v1/health/service/web");
        await _h.Client.CoreV1.DeleteNamespacedConfigMapAsync("discovery-switch", DiscoveryHarness.Ns);
        using var client = _h.ClientFrom(MeshCaller);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(client, "/v1/health/service/web")).HealthAddresses() is ["10.96.0.10:8080"], "mesh answer once the switch is gone");
        await WaitForStoredAsync("switch", v => v > 0);
        var before = await ConsulReply.GetAsync(client, "/v1/health/service/web");

        await _h.StopReplicaAsync(0);
        await _h.StartReplicaAsync();
        using var restarted = _h.ClientFrom(MeshCaller, 1);
        var after = await ConsulReply.GetAsync(restarted, "/v1/health/service/web");

        Assert.Equal(["10.96.0.10:8080"], after.HealthAddresses());
        Assert.Equal(before.Index, after.Index);
    }

    [Fact]
    public async Task StateConfigMap_DeletedWhileRunning_WrittenAgain()
    {
        await _h.DeleteRouterAsync("web");
        var stored = await WaitForStoredAsync("shop.web", v => v > 0);

        await _h.Client.CoreV1.DeleteNamespacedConfigMapAsync(StateMap, DiscoveryHarness.Ns);

        Assert.Equal(stored, await WaitForStoredAsync("shop.web", v => v > 0));
    }

    [Fact]
    public async Task StateConfigMap_MalformedEntries_IgnoredThenDropped()
    {
        await _h.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new k8s.Models.V1ConfigMap
            {
                Metadata = new k8s.Models.V1ObjectMeta { Name = StateMap, NamespaceProperty = DiscoveryHarness.Ns },
                Data = new Dictionary<string, string> { ["shop.web"] = "not-a-number", ["noDot"] = "12", ["shop.other"] = "-5" },
            },
            DiscoveryHarness.Ns);
        using var client = _h.ClientFrom(MeshCaller);
        Assert.Equal(["10.96.0.10:8080"], (await ConsulReply.GetAsync(client, "/v1/health/service/web")).HealthAddresses());

        await _h.DeleteRouterAsync("web");
        await WaitForStoredAsync("shop.web", v => v > 0);

        var map = await _h.Client.CoreV1.ReadNamespacedConfigMapAsync(StateMap, DiscoveryHarness.Ns);
        Assert.Equal(["shop.web"], map.Data.Keys);
    }

    [Fact]
    public async Task TwoReplicas_SameDeletion_OneFloorStored()
    {
        await _h.StartReplicaAsync();
        await _h.DeleteRouterAsync("web");
        var zero = await LegacyAnswerAsync(0, "/v1/health/service/web");
        var one = await LegacyAnswerAsync(1, "/v1/health/service/web");
        await WaitForStoredAsync("shop.web", v => v > 0);

        await _h.StopReplicaAsync(0);
        await _h.StartReplicaAsync();
        var two = await LegacyAnswerAsync(2, "/v1/health/service/web");

        Assert.Equal(zero.Index, one.Index);
        Assert.Equal(zero.Index, two.Index);
    }

    private async Task<ulong> RouterVersionAsync(string name)
    {
        var router = (System.Text.Json.JsonElement)await _h.Client.CustomObjects.GetNamespacedCustomObjectAsync("router.service-mesh.zhihu.com", "v1", DiscoveryHarness.Ns, "routers", name);
        return ulong.Parse(router.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<ConsulReply> LegacyAnswerAsync(int replica, string path)
    {
        using var client = _h.ClientFrom(MeshCaller, replica);
        ConsulReply? reply = null;
        await DiscoveryHarness.Until(
            async () =>
            {
                reply = await ConsulReply.GetAsync(client, path);
                return reply.Json.AsArray().Count == 1 && reply.Body.Contains("10.0.0.5", StringComparison.Ordinal);
            },
            $"legacy answer at replica {replica}");
        return reply!;
    }

    private async Task<ulong> WaitForStoredAsync(string key, Func<ulong, bool> accept)
    {
        ulong value = 0;
        await DiscoveryHarness.Until(
            async () =>
            {
                try
                {
                    var map = await _h.Client.CoreV1.ReadNamespacedConfigMapAsync(StateMap, DiscoveryHarness.Ns);
                    return map.Data is { } data && data.TryGetValue(key, out var text) && ulong.TryParse(text, out value) && accept(value);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
            },
            $"{StateMap} stores {key}");
        return value;
    }
}

using System.Net;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>The mesh/legacy rule per caller, end to end over HTTP with the Consul and Kubernetes stand-ins.</summary>
public sealed class AnswerRuleTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private const string UnknownCaller = "127.0.0.4";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul =>
        {
            consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1", "primary"], 8080, new ConsulCheck(ConsulHealth.Passing));
            consul.RegisterService("haproxy-2", "10.0.0.6", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Warning));
            consul.RegisterService("haproxy-3", "10.0.0.7", "db", ["v1"], 5432, new ConsulCheck(ConsulHealth.Passing));
        });
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await WaitForCachesAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task CatalogService_MeshCallerMeshTarget_ServiceIp()
    {
        using var client = _h.ClientFrom(MeshCaller);

        var reply = await ConsulReply.GetAsync(client, "/v1/catalog/service/web");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(["10.96.0.10:8080"], reply.CatalogAddresses());
        Assert.Equal(["v1", "primary"], reply.Json[0]!["ServiceTags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Theory]
    [InlineData(LegacyCaller)]
    [InlineData(UnknownCaller)]
    public async Task CatalogService_NonMeshCaller_UpstreamBytesUnchanged(string caller)
    {
        using var client = _h.ClientFrom(caller);
        using var upstream = new HttpClient { BaseAddress = _h.Consul.Address };

        var reply = await ConsulReply.GetAsync(client, "/v1/catalog/service/web");
        var direct = await upstream.GetStringAsync("/v1/catalog/service/web");

        Assert.Equal(direct, reply.Body);
        Assert.Equal(["10.0.0.5:8080", "10.0.0.6:8080"], reply.CatalogAddresses());
    }

    [Fact]
    public async Task CatalogService_MeshCallerLegacyTarget_UpstreamInstances()
    {
        using var client = _h.ClientFrom(MeshCaller);

        var reply = await ConsulReply.GetAsync(client, "/v1/catalog/service/db");

        Assert.Equal(["10.0.0.7:5432"], reply.CatalogAddresses());
    }

    [Fact]
    public async Task HealthService_MeshCaller_PassingMeshInstanceWithChecks()
    {
        using var client = _h.ClientFrom(MeshCaller);

        var reply = await ConsulReply.GetAsync(client, "/v1/health/service/web?passing=1");

        Assert.Equal(["10.96.0.10:8080"], reply.HealthAddresses());
        Assert.Equal("passing", reply.Json[0]!["Checks"]![0]!["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthService_LegacyCallerPassing_WarningInstanceDropped()
    {
        using var client = _h.ClientFrom(LegacyCaller);

        var all = await ConsulReply.GetAsync(client, "/v1/health/service/web");
        var passing = await ConsulReply.GetAsync(client, "/v1/health/service/web?passing");

        Assert.Equal(2, all.HealthAddresses().Count);
        Assert.Equal(["10.0.0.5:8080"], passing.HealthAddresses());
    }

    [Fact]
    public async Task HealthService_MeshCallerUnknownTag_Empty()
    {
        using var client = _h.ClientFrom(MeshCaller);

        var reply = await ConsulReply.GetAsync(client, "/v1/health/service/web?tag=nope");

        Assert.Equal("[]", reply.Body);
    }

    [Fact]
    public async Task CatalogService_ReadyEndpointsGone_LegacyAnswerAndIndexMoves()
    {
        using var client = _h.ClientFrom(MeshCaller);
        var before = await ConsulReply.GetAsync(client, "/v1/catalog/service/web");

        await _h.SetReadyAsync("web", false, false);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(client, "/v1/catalog/service/web")).CatalogAddresses().Count == 2, "legacy answer");
        var after = await ConsulReply.GetAsync(client, "/v1/catalog/service/web");

        Assert.DoesNotContain("10.96.0.10:8080", after.CatalogAddresses());
        Assert.True(after.Index > before.Index, $"index {after.Index} should pass {before.Index}");
    }

    [Fact]
    public async Task CatalogService_RouterRolledBackByLabel_Legacy()
    {
        using var client = _h.ClientFrom(MeshCaller);

        await _h.LabelRouterAsync("web", "discovery.service-mesh.zhihu.com/rollback", "true");

        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(client, "/v1/catalog/service/web")).CatalogAddresses().Count == 2, "per-service rollback");
    }

    [Fact]
    public async Task CatalogService_UnknownService_200EmptyWithHeaders()
    {
        using var client = _h.ClientFrom(MeshCaller);

        var reply = await ConsulReply.GetAsync(client, "/v1/catalog/service/nothing-here");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("[]", reply.Body);
        Assert.True(reply.Index >= 1);
    }

    private async Task WaitForCachesAsync()
    {
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
    }
}

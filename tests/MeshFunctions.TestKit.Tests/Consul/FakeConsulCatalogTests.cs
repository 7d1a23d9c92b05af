using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulCatalogTests : FakeConsulTestBase
{
    [Fact]
    public async Task CatalogService_RegisteredInstance_MatchesCapturedShape()
    {
        Consul.RegisterService("nginx-01", "10.10.10.39", new ConsulServiceRegistration("balancer", 80)
        {
            Tags = ["balancer"],
            Address = "89.169.168.240",
        });

        var reply = await Http.GetAsync("/v1/catalog/service/balancer");

        Assert.Equal(200, reply.Status);
        Assert.Empty(JsonShape.Differences(JsonNode.Parse(CapturedShapes.CatalogService), reply.Json));
        var element = reply.Json![0]!;
        Assert.Equal("nginx-01", element["Node"]!.GetValue<string>());
        Assert.Equal("10.10.10.39", element["Address"]!.GetValue<string>());
        Assert.Equal("89.169.168.240", element["ServiceTaggedAddresses"]!["lan_ipv4"]!["Address"]!.GetValue<string>());
        Assert.Equal(80, element["ServiceTaggedAddresses"]!["wan_ipv4"]!["Port"]!.GetValue<int>());
    }

    [Fact]
    public async Task CatalogService_NoTagsNoAddress_TagsEmptyListAndTaggedAddressesOmitted()
    {
        Consul.RegisterService("n1", "10.0.0.1", "web", [], 8080);

        var element = (await Http.GetAsync("/v1/catalog/service/web")).Json![0]!.AsObject();

        Assert.IsType<JsonArray>(element["ServiceTags"]);
        Assert.Empty(element["ServiceTags"]!.AsArray());
        Assert.False(element.ContainsKey("ServiceTaggedAddresses"));
        Assert.Equal(string.Empty, element["ServiceAddress"]!.GetValue<string>());
        Assert.IsType<JsonObject>(element["ServiceMeta"]);
    }

    [Fact]
    public async Task CatalogService_UnknownService_200EmptyArrayWithIndex()
    {
        var reply = await Http.GetAsync("/v1/catalog/service/nope");

        Assert.Equal(200, reply.Status);
        Assert.Equal("[]", reply.Text);
        Assert.Equal("application/json", reply.Headers["Content-Type"]);
        Assert.True(reply.Index >= 1);
        Assert.Equal("true", reply.Headers["X-Consul-KnownLeader"]);
        Assert.Equal("0", reply.Headers["X-Consul-LastContact"]);
        Assert.Equal("leader", reply.Headers["X-Consul-Effective-Consistency"]);
    }

    [Fact]
    public async Task CatalogServices_SeveralInstances_MapOfNameToUnionOfTags()
    {
        Consul.RegisterService("n1", "10.0.0.1", "postgresql", ["primary"], 5432);
        Consul.RegisterService("n2", "10.0.0.2", "postgresql", ["secondary"], 5432);
        Consul.RegisterService("n3", "10.0.0.3", "redis", [], 6379);

        var json = (await Http.GetAsync("/v1/catalog/services")).Json!.AsObject();

        Assert.Equal(["consul", "postgresql", "redis"], json.Select(p => p.Key).Order());
        Assert.Equal(["primary", "secondary"], json["postgresql"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Empty(json["redis"]!.AsArray());
        Assert.Empty(json["consul"]!.AsArray());
    }

    [Fact]
    public async Task CatalogService_TagFilters_AndedAndCaseInsensitive()
    {
        Consul.RegisterService("n1", "10.0.0.1", "web", ["v1", "Canary"], 80);
        Consul.RegisterService("n2", "10.0.0.2", "web", ["v1"], 80);

        var both = (await Http.GetAsync("/v1/catalog/service/web?tag=V1&tag=canary")).Json!.AsArray();
        var one = (await Http.GetAsync("/v1/catalog/service/web?tag=v1")).Json!.AsArray();

        Assert.Equal(["n1"], both.Select(e => e!["Node"]!.GetValue<string>()));
        Assert.Equal(2, one.Count);
    }

    [Fact]
    public async Task CatalogService_OtherDatacenter_500NoPath()
    {
        var reply = await Http.GetAsync("/v1/catalog/service/web?dc=dc9");

        Assert.Equal(500, reply.Status);
        Assert.Contains("No path to datacenter", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogService_StaleAndConsistent_EffectiveConsistencyAndConflict()
    {
        var stale = await Http.GetAsync("/v1/catalog/service/web?stale=");
        var consistent = await Http.GetAsync("/v1/catalog/service/web?consistent=1");
        var both = await Http.GetAsync("/v1/catalog/service/web?stale&consistent");

        Assert.Equal("stale", stale.Headers["X-Consul-Effective-Consistency"]);
        Assert.Equal("consistent", consistent.Headers["X-Consul-Effective-Consistency"]);
        Assert.Equal(400, both.Status);
    }

    [Fact]
    public async Task CatalogService_FilterAndNearAndToken_FilteredAndTokenRecorded()
    {
        Consul.RegisterService("n1", "10.0.0.1", new ConsulServiceRegistration("web", 80) { Meta = new Dictionary<string, string> { ["version"] = "v1" } });
        Consul.RegisterService("n2", "10.0.0.2", new ConsulServiceRegistration("web", 80) { Meta = new Dictionary<string, string> { ["version"] = "v2" } });

        var reply = await Http.GetAsync("/v1/catalog/service/web?near=_agent&filter=ServiceMeta.version%20%3D%3D%20v1&token=abc");
        await Http.GetAsync("/v1/catalog/services", new Dictionary<string, string> { ["X-Consul-Token"] = "def" });

        Assert.Equal(200, reply.Status);
        Assert.Equal("n1", Assert.Single(reply.Json!.AsArray())!["Node"]!.GetValue<string>());
        Assert.Equal(["abc", "def"], Consul.Requests.TakeLast(2).Select(r => r.Token));
    }

    [Fact]
    public async Task CatalogService_MixedCaseName_FoundLikeConsulsLowercasedIndex()
    {
        Consul.RegisterService("n1", "10.0.0.1", "Web", [], 80);

        var reply = await Http.GetAsync("/v1/catalog/service/web");

        Assert.Single(reply.Json!.AsArray());
    }
}

using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>The stand-in's <c>filter</c> (go-bexpr subset) and <c>node-meta</c> on catalog and health reads.</summary>
public sealed class FakeConsulFilterTests : FakeConsulTestBase
{
    [Theory]
    [InlineData("ServiceTags contains \"v2\"", "n2")]
    [InlineData("\"v1\" in ServiceTags and not (ServiceTags contains \"v2\")", "n1")]
    [InlineData("ServiceMeta[\"tier\"] == `gold` or Node == \"n3\"", "n2,n3")]
    [InlineData("ServicePort != 80", "n3")]
    [InlineData("ServiceMeta.tier is empty", "n1,n3")]
    [InlineData("Node matches \"^n[12]$\"", "n1,n2")]
    public async Task CatalogService_Filter_KeepsMatchingInstances(string filter, string nodes)
    {
        Seed();

        var reply = await Http.GetAsync("/v1/catalog/service/web?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(200, reply.Status);
        Assert.Equal(nodes, string.Join(',', reply.Json!.AsArray().Select(e => e!["Node"]!.GetValue<string>()).Order()));
    }

    [Fact]
    public async Task HealthService_FilterOnNestedService_KeepsMatchingEntries()
    {
        Seed();

        var reply = await Http.GetAsync("/v1/health/service/web?filter=" + Uri.EscapeDataString("Service.Tags contains \"v2\""));

        Assert.Equal("n2", Assert.Single(reply.Json!.AsArray())!["Node"]!["Node"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ServiceTags contains")]
    [InlineData("ServicePort = 80")]
    [InlineData("(Node == \"n1\"")]
    [InlineData("\"v1\"")]
    public async Task CatalogService_MalformedFilter_400WithEvaluatorText(string filter)
    {
        Seed();

        var reply = await Http.GetAsync("/v1/catalog/service/web?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(400, reply.Status);
        Assert.StartsWith("Failed to create boolean expression evaluator: ", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogService_NodeMeta_AllPairsMustMatch()
    {
        Seed();

        var all = await Http.GetAsync("/v1/catalog/service/web?node-meta=consul-network-segment:");
        var none = await Http.GetAsync("/v1/catalog/service/web?node-meta=consul-network-segment:&node-meta=rack:r1");

        Assert.Equal(3, all.Json!.AsArray().Count);
        Assert.Empty(none.Json!.AsArray());
    }

    private void Seed()
    {
        Consul.RegisterService("n1", "10.0.0.1", new ConsulServiceRegistration("web", 80) { Tags = ["v1"] });
        Consul.RegisterService("n2", "10.0.0.2", new ConsulServiceRegistration("web", 80) { Tags = ["v1", "v2"], Meta = new Dictionary<string, string> { ["tier"] = "gold" } });
        Consul.RegisterService("n3", "10.0.0.3", new ConsulServiceRegistration("web", 8080));
    }
}

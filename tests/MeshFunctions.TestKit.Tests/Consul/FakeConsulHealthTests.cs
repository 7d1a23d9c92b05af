using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulHealthTests : FakeConsulTestBase
{
    [Fact]
    public async Task HealthService_InstanceWithHttpCheck_MatchesCapturedShape()
    {
        Consul.RegisterService("example-consul", "172.16.3.2", new ConsulServiceRegistration("example_http_service", 3000)
        {
            Id = "example_http_service_3000",
            Tags = ["example"],
            Address = "172.16.3.3",
            Checks = [new ConsulCheck(ConsulHealth.Passing, "example_http_service_3000_status", "example_http_service health status", "http", "HTTP GET: 200 OK") { Interval = "1s", Timeout = "0s" }],
        });

        var reply = await Http.GetAsync("/v1/health/service/example_http_service");

        Assert.Equal(200, reply.Status);
        Assert.Empty(JsonShape.Differences(JsonNode.Parse(CapturedShapes.HealthService), reply.Json));
        var checks = reply.Json![0]!["Checks"]!.AsArray();
        Assert.Equal(["serfHealth", "example_http_service_3000_status"], checks.Select(c => c!["CheckID"]!.GetValue<string>()));
        Assert.Equal("example_http_service_3000", checks[1]!["ServiceID"]!.GetValue<string>());
        Assert.Equal(["example"], checks[1]!["ServiceTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("blocking-query", reply.Headers["X-Consul-Query-Backend"]);
    }

    [Fact]
    public async Task HealthService_UnknownService_200EmptyArray()
    {
        var reply = await Http.GetAsync("/v1/health/service/ghost?passing=1");

        Assert.Equal(200, reply.Status);
        Assert.Equal("[]", reply.Text);
    }

    [Theory]
    [InlineData("passing")]
    [InlineData("passing=")]
    [InlineData("passing=1")]
    [InlineData("passing=true")]
    [InlineData("passing=T")]
    public async Task HealthService_PassingSpellings_DropWarningAndCritical(string parameter)
    {
        RegisterThree();

        var reply = await Http.GetAsync("/v1/health/service/web?" + parameter);

        Assert.Equal(["ok"], reply.Json!.AsArray().Select(e => e!["Service"]!["ID"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?passing=0")]
    [InlineData("?passing=false")]
    public async Task HealthService_NotPassingOnly_ReturnsEveryInstance(string parameter)
    {
        RegisterThree();

        var reply = await Http.GetAsync("/v1/health/service/web" + parameter);

        Assert.Equal(3, reply.Json!.AsArray().Count);
    }

    [Fact]
    public async Task HealthService_InvalidPassing_400()
    {
        var reply = await Http.GetAsync("/v1/health/service/web?passing=yes");

        Assert.Equal(400, reply.Status);
        Assert.Equal("Invalid value for ?passing", reply.Text);
    }

    [Fact]
    public async Task HealthService_NodeSerfHealthCritical_InstanceNotPassing()
    {
        Consul.RegisterService("n1", "10.0.0.1", "web", [], 80);

        Consul.SetHealth("n1", "serfHealth", ConsulHealth.Critical);
        var reply = await Http.GetAsync("/v1/health/service/web?passing=1");

        Assert.Equal("[]", reply.Text);
    }

    [Fact]
    public async Task HealthService_NoChecksButSerf_MetaNullAndDefaultCheckId()
    {
        Consul.RegisterService("n1", "10.0.0.1", "api", ["v2"], 9000, new ConsulCheck());

        var entry = (await Http.GetAsync("/v1/health/service/api")).Json![0]!;

        Assert.Null(entry["Service"]!["Meta"]);
        Assert.True(entry["Service"]!.AsObject().ContainsKey("Meta"));
        Assert.Equal("service:api", entry["Checks"]![1]!["CheckID"]!.GetValue<string>());
        Assert.Equal("Service 'api' check", entry["Checks"]![1]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public void SetHealth_UnknownCheck_ThrowsNamingKnownChecks()
    {
        Consul.RegisterService("n1", "10.0.0.1", "web", [], 80);

        var error = Assert.Throws<KeyNotFoundException>(() => Consul.SetHealth("n1", "nope", ConsulHealth.Passing));

        Assert.Contains("serfHealth", error.Message, StringComparison.Ordinal);
    }

    private void RegisterThree()
    {
        Consul.RegisterService("n1", "10.0.0.1", new ConsulServiceRegistration("web", 80) { Id = "ok", Checks = [new ConsulCheck(ConsulHealth.Passing)] });
        Consul.RegisterService("n1", "10.0.0.1", new ConsulServiceRegistration("web", 81) { Id = "warn", Checks = [new ConsulCheck(ConsulHealth.Warning)] });
        Consul.RegisterService("n1", "10.0.0.1", new ConsulServiceRegistration("web", 82) { Id = "down", Checks = [new ConsulCheck(ConsulHealth.Critical)] });
    }
}

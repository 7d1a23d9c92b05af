namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulAgentTests : FakeConsulTestBase
{
    [Fact]
    public async Task Register_PythonConsulLowercaseBody_InstanceOnAgentNodeWithCriticalCheck()
    {
        var reply = await Http.PutAsync(
            "/v1/agent/service/register?token=t1",
            """{"name":"legacy","id":"legacy-1","address":"10.1.1.1","port":8080,"tags":["a"],"check":{"tcp":"10.1.1.1:8080","interval":"10s"}}""");
        var health = (await Http.GetAsync("/v1/health/service/legacy")).Json![0]!;

        Assert.Equal(200, reply.Status);
        Assert.Empty(reply.Body);
        Assert.Equal("consul-server-1", health["Node"]!["Node"]!.GetValue<string>());
        Assert.Equal("legacy-1", health["Service"]!["ID"]!.GetValue<string>());
        Assert.Equal("critical", health["Checks"]![1]!["Status"]!.GetValue<string>());
        Assert.Equal("tcp", health["Checks"]![1]!["Type"]!.GetValue<string>());
        Assert.Equal("t1", Consul.Requests[^2].Token);
    }

    [Fact]
    public async Task Register_NodeConsulPascalCaseBody_DefaultsIdToName()
    {
        await Http.PutAsync("/v1/agent/service/register", """{"Name":"api","Port":9000,"Check":{"TTL":"30s","Status":"passing"}}""");

        var entry = (await Http.GetAsync("/v1/health/service/api?passing=true")).Json![0]!;

        Assert.Equal("api", entry["Service"]!["ID"]!.GetValue<string>());
        Assert.Equal(9000, entry["Service"]!["Port"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{}", "Missing service name")]
    [InlineData("""{"Name":"x","Port":"80"}""", "Request decode failed: Port: expected a number")]
    [InlineData("not json", "Request decode failed")]
    public async Task Register_BadBody_400NamingTheProblem(string body, string message)
    {
        var reply = await Http.PutAsync("/v1/agent/service/register", body);

        Assert.Equal(400, reply.Status);
        Assert.StartsWith(message, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deregister_PutRemovesGetIs405UnknownIsNoOp()
    {
        await Http.PutAsync("/v1/agent/service/register", """{"Name":"gone","Port":1}""");

        var get = await Http.GetAsync("/v1/agent/service/deregister/gone");
        var put = await Http.PutAsync("/v1/agent/service/deregister/gone");
        var unknown = await Http.PutAsync("/v1/agent/service/deregister/never-was");

        Assert.Equal(405, get.Status);
        Assert.Equal(200, put.Status);
        Assert.Equal(200, unknown.Status);
        Assert.Equal("[]", (await Http.GetAsync("/v1/catalog/service/gone")).Text);
    }

    [Fact]
    public async Task StatusAndAgentSelf_ServerShapes()
    {
        var leader = await Http.GetAsync("/v1/status/leader");
        var peers = await Http.GetAsync("/v1/status/peers");
        var self = (await Http.GetAsync("/v1/agent/self")).Json!;

        Assert.Equal("\"127.0.0.1:8300\"", leader.Text);
        Assert.False(leader.Headers.ContainsKey("X-Consul-Index"));
        Assert.Equal(["127.0.0.1:8300"], peers.Json!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("dc1", self["Config"]!["Datacenter"]!.GetValue<string>());
        Assert.Equal("consul-server-1", self["Config"]!["NodeName"]!.GetValue<string>());
        Assert.True(self["Config"]!["Server"]!.GetValue<bool>());
        Assert.Equal("1.21.3", self["Meta"]!["consul-version"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPath_404()
    {
        Assert.Equal(404, (await Http.GetAsync("/v1/nothing/here")).Status);
    }
}

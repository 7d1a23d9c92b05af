using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulFixtureTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"consul-fixture-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task StartAsync_WithFixture_ServesNodesServicesChecksAndKv()
    {
        File.WriteAllText(_path, """
            {"nodes":[{"node":"haproxy-1","address":"10.0.0.5",
                       "services":[{"name":"web","id":"web-80","port":80,"tags":["v1"],"meta":{"version":"1"},
                                    "checks":[{"id":"web-http","status":"warning","type":"http"}]}],
                       "checks":[{"id":"serfHealth","status":"passing"}]}],
             "kv":{"config/web":"on"}}
            """);
        await using var consul = await FakeConsul.StartAsync(new FakeConsulOptions { FixturePath = _path, IncludeConsulService = false });
        using var http = new ConsulHttp(consul.Address);

        var health = (await http.GetAsync("/v1/health/service/web")).Json![0]!;
        var services = (await http.GetAsync("/v1/catalog/services")).Json!.AsObject();
        var kv = await http.GetAsync("/v1/kv/config/web?raw");

        Assert.Equal("warning", health["Checks"]![1]!["Status"]!.GetValue<string>());
        Assert.Equal("1", health["Service"]!["Meta"]!["version"]!.GetValue<string>());
        Assert.Equal(["web"], services.Select(p => p.Key));
        Assert.Equal("on", kv.Text);
    }

    [Theory]
    [InlineData("""{"nodes":[{"address":"1.2.3.4"}]}""", "nodes[0].node: required string is missing")]
    [InlineData("""{"nodes":[{"node":"n","address":"a","services":[{"name":"s","port":"80"}]}]}""", "nodes[0].services[0].port: expected an integer")]
    [InlineData("""{"nodes":[{"node":"n","address":"a","services":[{"name":"s","checks":[{"status":"ok"}]}]}]}""", "nodes[0].services[0].checks[0].status")]
    [InlineData("""{"kv":{"k":1}}""", "kv.k: expected a string")]
    public async Task StartAsync_BadFixture_ErrorNamesFileAndField(string json, string expected)
    {
        File.WriteAllText(_path, json);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FakeConsul.StartAsync(new FakeConsulOptions { FixturePath = _path }));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

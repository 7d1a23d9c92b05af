using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulFaultTests : IAsyncLifetime
{
    private FakeConsul _consul = null!;
    private ConsulHttp _http = null!;

    public async Task InitializeAsync()
    {
        _consul = await FakeConsul.StartAsync();
        _http = new ConsulHttp(_consul.Address);
        _consul.RegisterService("n1", "10.0.0.1", "web", [], 80);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _consul.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_Outage_ConnectionRefused()
    {
        await _consul.StopAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("/v1/catalog/services"));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.False(_consul.IsRunning);
    }

    [Fact]
    public async Task RestartAsync_AfterOutage_SamePortSameDataIndexKeepsGrowing()
    {
        var port = _consul.Port;
        var before = await _http.GetAsync("/v1/catalog/service/web");
        await _consul.StopAsync();

        await _consul.RestartAsync();
        _consul.RegisterService("n2", "10.0.0.2", "web", [], 80);
        var after = await _http.GetAsync("/v1/catalog/service/web");

        Assert.Equal(port, _consul.Port);
        Assert.Equal(2, after.Json!.AsArray().Count);
        Assert.True(after.Index > before.Index);
    }

    [Fact]
    public async Task StopAsync_DuringBlockingQuery_CutsTheConnection()
    {
        var index = (await _http.GetAsync("/v1/catalog/service/web")).Index;
        var blocked = _http.GetAsync($"/v1/catalog/service/web?index={index}&wait=30s");
        await _consul.WaitForParkedAsync(1).WaitAsync(TimeSpan.FromMinutes(2));

        await _consul.StopAsync();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => blocked);
    }

    [Fact]
    public async Task FailWith_500_EveryEndpointFailsUntilHealed()
    {
        _consul.FailWith(500, "No cluster leader");

        var failed = await _http.GetAsync("/v1/health/service/web");
        _consul.Heal();
        var healed = await _http.GetAsync("/v1/health/service/web");

        Assert.Equal(500, failed.Status);
        Assert.Equal("No cluster leader", failed.Text);
        Assert.Equal(200, healed.Status);
    }

    [Fact]
    public async Task Hang_ClientTimesOut_ThenHealServesAgain()
    {
        _consul.Hang();
        using var shortClient = new HttpClient { BaseAddress = _consul.Address, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => shortClient.GetAsync("/v1/status/leader"));
        _consul.Heal();
        var reply = await _http.GetAsync("/v1/status/leader");

        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task KnownLeaderFalse_HeadersAndStatusLeaderSayNoLeader()
    {
        _consul.KnownLeader = false;
        _consul.LastContact = TimeSpan.FromMilliseconds(2500);

        var health = await _http.GetAsync("/v1/health/service/web?stale");
        var leader = await _http.GetAsync("/v1/status/leader");

        Assert.Equal("false", health.Headers["X-Consul-KnownLeader"]);
        Assert.Equal("2500", health.Headers["X-Consul-LastContact"]);
        Assert.Equal("\"\"", leader.Text);
    }
}

using MeshFunctions.Discovery.Observability;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>
/// Blocking reads served on the transport (WatchConnections): the same bytes as Kestrel's pipeline gives, hand-over to
/// Kestrel for anything else on the same connection, and the connection's life (client gone, close, keep-alive timeout).
/// </summary>
public sealed class WatchConnectionsTests : IAsyncLifetime
{
    private static readonly string[] Volatile = ["Date", "Connection"];

    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync() =>
        _h = await DiscoveryHarness.StartAsync(Seed);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static void Seed(FakeConsul consul) =>
        consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));

    [Theory]
    [InlineData("127.0.0.1", "/v1/health/service/web?index=1&wait=1m")]
    [InlineData("127.0.0.1", "/v1/catalog/service/web?index=1&tag=v1")]
    [InlineData("127.0.0.1", "/v1/health/service/web?index=banana")]
    [InlineData("127.0.0.1", "/v1/catalog/services?index=1&stale")]
    [InlineData("127.0.0.1", "/v1/health/service/web?index=1&passing=maybe")]
    [InlineData("127.0.0.1", "/v1/health/service/nothing-here?index=1")]
    public async Task Watch_AnsweredOnTransport_SameStatusHeadersAndBodyAsKestrel(string caller, string target)
    {
        await using var lean = await RawHttpConnection.OpenAsync(caller, _h.Address);
        await using var kestrel = await RawHttpConnection.OpenAsync(caller, _h.Address);

        // HTTP/1.0 is not claimed by the transport path, so the second request takes Kestrel's pipeline.
        await lean.SendAsync(RawHttpConnection.Get(target));
        var fromLean = await lean.ReadResponseAsync();
        await kestrel.SendAsync(RawHttpConnection.Get(target, "HTTP/1.0"));
        var fromKestrel = await kestrel.ReadResponseAsync();

        Assert.Equal(fromKestrel.Status, fromLean.Status);
        Assert.Equal(fromKestrel.StatusLine, fromLean.StatusLine);
        Assert.Equal(fromKestrel.Body, fromLean.Body);
        Assert.Equal(
            fromKestrel.Headers.Where(h => !Volatile.Contains(h.Name)).OrderBy(h => h.Name, StringComparer.Ordinal),
            fromLean.Headers.Where(h => !Volatile.Contains(h.Name)).OrderBy(h => h.Name, StringComparer.Ordinal));
        Assert.NotNull(fromLean.Header("Date"));
    }

    [Fact]
    public async Task Watch_ThenOtherRequests_SameConnectionAnswersEveryOneInOrder()
    {
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", _h.Address);

        await connection.SendAsync(RawHttpConnection.Get("/v1/health/service/web?index=1"));
        var watch = await connection.ReadResponseAsync();
        // Pipelined: a watch and a request the transport path does not claim, in one write; then one more watch.
        await connection.SendAsync(RawHttpConnection.Get("/v1/catalog/service/web?index=1") + "PUT /v1/kv/lean/x HTTP/1.1\r\nHost: discovery\r\nContent-Length: 2\r\n\r\non");
        var second = await connection.ReadResponseAsync();
        var put = await connection.ReadResponseAsync();
        await connection.SendAsync(RawHttpConnection.Get("/v1/kv/lean/x?index=1&raw"));
        var read = await connection.ReadResponseAsync();

        Assert.Equal(200, watch.Status);
        Assert.Contains("10.0.0.5", watch.Body, StringComparison.Ordinal);
        Assert.Equal(200, second.Status);
        Assert.Contains("10.0.0.5", second.Body, StringComparison.Ordinal);
        Assert.Equal((200, "true"), (put.Status, put.Body));
        Assert.Equal((200, "on"), (read.Status, read.Body));
    }

    [Fact]
    public async Task Watch_ClientGoesAwayWhileBlocked_WatcherReleased()
    {
        var metrics = _h.Services().GetRequiredService<DiscoveryMetrics>();
        using var client = _h.ClientFrom("127.0.0.1");
        var index = (await ConsulReply.GetAsync(client, "/v1/health/service/web")).Index;
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", _h.Address);

        await connection.SendAsync(RawHttpConnection.Get($"/v1/health/service/web?index={index}&wait=5m"));
        await DiscoveryHarness.Until(() => Task.FromResult(metrics.Watchers.Value >= 1), "the watch is blocked");
        connection.Abort();

        await DiscoveryHarness.Until(() => Task.FromResult(metrics.Watchers.Value == 0), "the watch is released");
    }

    [Fact]
    public async Task Watch_BlockedThenChange_AnsweredOnTheSameConnection()
    {
        using var client = _h.ClientFrom("127.0.0.1");
        var index = (await ConsulReply.GetAsync(client, "/v1/health/service/web")).Index;
        var blocked = _h.BlockedTotal();
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", _h.Address);

        await connection.SendAsync(RawHttpConnection.Get($"/v1/health/service/web?index={index}&wait=5m"));
        await DiscoveryHarness.Until(() => Task.FromResult(_h.BlockedTotal() > blocked), "the watch is blocked");
        _h.Consul.RegisterService("haproxy-2", "10.0.0.6", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
        var answer = await connection.ReadResponseAsync();

        Assert.Equal(200, answer.Status);
        Assert.True(ulong.Parse(answer.Header("X-Consul-Index")!, System.Globalization.CultureInfo.InvariantCulture) > index);
        Assert.Contains("10.0.0.6", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ConnectionClose_AnsweredThenClosed()
    {
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", _h.Address);

        await connection.SendAsync(RawHttpConnection.Get("/v1/health/service/web?index=1", "HTTP/1.1", "Connection: close"));
        var answer = await connection.ReadResponseAsync();

        Assert.Equal(200, answer.Status);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await connection.ServerClosedAsync());
    }

    [Fact]
    public async Task Watch_IdleAfterAnswer_ClosedAfterKeepAliveTimeout()
    {
        await using var h = await DiscoveryHarness.StartAsync(Seed, configure: b => b.Services.Configure<KestrelServerOptions>(o => o.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1)));
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", h.Address);

        await connection.SendAsync(RawHttpConnection.Get("/v1/health/service/web?index=1"));
        var answer = await connection.ReadResponseAsync();

        Assert.Equal(200, answer.Status);
        Assert.True(await connection.ServerClosedAsync());
    }

    [Theory]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: discovery\r\nBad Header: x\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: discovery\r\nX: a\nb\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    public async Task Watch_MalformedHead_KestrelAnswers400(string request)
    {
        await using var connection = await RawHttpConnection.OpenAsync("127.0.0.1", _h.Address);

        await connection.SendAsync(request);
        var answer = await connection.ReadResponseAsync();

        Assert.Equal(400, answer.Status);
    }
}

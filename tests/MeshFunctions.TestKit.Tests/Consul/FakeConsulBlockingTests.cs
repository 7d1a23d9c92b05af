using System.Diagnostics;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulBlockingTests : IAsyncLifetime
{
    private FakeConsul _consul = null!;
    private ConsulHttp _http = null!;

    public async Task InitializeAsync()
    {
        _consul = await FakeConsul.StartAsync();
        _http = new ConsulHttp(_consul.Address);
        _consul.RegisterService("n1", "10.0.0.1", "web", ["v1"], 80, new ConsulCheck());
        _consul.RegisterService("n2", "10.0.0.2", "db", [], 5432);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _consul.DisposeAsync();
    }

    [Fact]
    public async Task HealthService_ChangeDuringWait_ReturnsBeforeWaitWithHigherIndex()
    {
        var first = await _http.GetAsync("/v1/health/service/web");

        var blocked = _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=30s");
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        var clock = Stopwatch.StartNew();
        _consul.SetHealth("n1", "service:web", ConsulHealth.Critical);
        var second = await blocked;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(second.Index > first.Index);
        Assert.Equal("critical", second.Json![0]!["Checks"]![1]!["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthService_NoChange_ReturnsAtWaitWithSameIndex()
    {
        var first = await _http.GetAsync("/v1/health/service/web");
        var clock = Stopwatch.StartNew();

        var second = await _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=600ms");

        Assert.Equal(200, second.Status);
        Assert.Equal(first.Index, second.Index);
        // wait plus at most wait/16 jitter; the upper bound only guards against "never returned in time".
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(590), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HealthService_ChangeToOtherService_DoesNotWakeWatcher()
    {
        var first = await _http.GetAsync("/v1/health/service/web");

        var blocked = _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=800ms");
        await Task.Delay(100);
        _consul.RegisterService("n2", "10.0.0.2", "db", ["changed"], 5432);
        var second = await blocked;

        Assert.Equal(first.Index, second.Index);
    }

    [Fact]
    public async Task Indexes_SeriesOfChanges_MonotonicAndMoveOnlyOnChange()
    {
        var seen = new List<ulong> { (await _http.GetAsync("/v1/catalog/services")).Index };
        seen.Add((await _http.GetAsync("/v1/catalog/services")).Index);
        _consul.RegisterService("n3", "10.0.0.3", "cache", [], 6379);
        seen.Add((await _http.GetAsync("/v1/catalog/services")).Index);
        _consul.RegisterService("n3", "10.0.0.3", "cache", [], 6379);
        seen.Add((await _http.GetAsync("/v1/catalog/services")).Index);
        _consul.DeregisterService("n3", "cache");
        seen.Add((await _http.GetAsync("/v1/catalog/services")).Index);

        Assert.Equal(seen[0], seen[1]);
        Assert.True(seen[2] > seen[1]);
        Assert.Equal(seen[2], seen[3]);
        Assert.True(seen[4] > seen[3]);
    }

    [Fact]
    public async Task KvGet_BlockingOnMissingKey_WakesWhenKeyIsWritten()
    {
        var miss = await _http.GetAsync("/v1/kv/feature/flag");

        var blocked = _http.GetAsync($"/v1/kv/feature/flag?index={miss.Index}&wait=30s");
        await Task.Delay(100);
        _consul.PutKv("feature/flag", "on");
        var hit = await blocked;

        Assert.Equal(200, hit.Status);
        Assert.True(hit.Index > miss.Index);
    }

    [Fact]
    public async Task Blocking_IndexZero_ReturnsAtOnce()
    {
        var clock = Stopwatch.StartNew();

        var reply = await _http.GetAsync("/v1/catalog/service/web?index=0&wait=20s");

        Assert.Equal(200, reply.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Blocking_IndexFromTheFuture_BlocksUntilWaitThenAnswersLowerIndex()
    {
        var current = (await _http.GetAsync("/v1/catalog/service/web")).Index;

        var reply = await _http.GetAsync($"/v1/catalog/service/web?index={current + 1000}&wait=300ms");

        Assert.Equal(current, reply.Index);
    }

    [Fact]
    public async Task KvRecurse_DeleteUnderPrefix_WakesWatcherWithHigherIndex()
    {
        _consul.PutKv("app/a", "1");
        _consul.PutKv("app/b", "2");
        var first = await _http.GetAsync("/v1/kv/app/?recurse");

        var blocked = _http.GetAsync($"/v1/kv/app/?recurse&index={first.Index}&wait=30s");
        await Task.Delay(100);
        _consul.DeleteKv("app/b");
        var second = await blocked;

        Assert.True(second.Index > first.Index);
        Assert.Equal(["app/a"], second.Json!.AsArray().Select(e => e!["Key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task KvGet_WriteToOtherKeyOfSameTable_DoesNotWakeExistingKeyWatcher()
    {
        _consul.PutKv("one", "1");
        var first = await _http.GetAsync("/v1/kv/one");

        var blocked = _http.GetAsync($"/v1/kv/one?index={first.Index}&wait=700ms");
        await Task.Delay(100);
        _consul.PutKv("two", "2");
        var second = await blocked;

        Assert.Equal(first.Index, second.Index);
    }

    [Theory]
    [InlineData("wait=10", "Invalid wait time")]
    [InlineData("wait=5x", "Invalid wait time")]
    [InlineData("index=abc&wait=1s", "Invalid index")]
    [InlineData("index=-1", "Invalid index")]
    public async Task Blocking_BadParameters_400WithConsulMessage(string parameters, string message)
    {
        var reply = await _http.GetAsync("/v1/health/service/web?" + parameters);

        Assert.Equal(400, reply.Status);
        Assert.Equal(message, reply.Text);
    }
}

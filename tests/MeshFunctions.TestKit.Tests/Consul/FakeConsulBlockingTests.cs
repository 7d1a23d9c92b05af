using MeshFunctions.TestKit.Consul;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>
/// Blocking-query semantics. Waits run on a fake clock that only the test moves, and a change is made once the
/// query is known to have parked (<see cref="FakeConsul.ParkedTotal"/>), so no assertion depends on how fast this
/// machine is; wall-clock timeouts are hang guards only.
/// </summary>
public sealed class FakeConsulBlockingTests : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);
    private readonly FakeTimeProvider _clock = new();
    private FakeConsul _consul = null!;
    private ConsulHttp _http = null!;

    public async Task InitializeAsync()
    {
        _consul = await FakeConsul.StartAsync(new FakeConsulOptions { TimeProvider = _clock });
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
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        Assert.False(blocked.IsCompleted);
        _consul.SetHealth("n1", "service:web", ConsulHealth.Critical);
        var second = await blocked.WaitAsync(HangGuard);

        Assert.True(second.Index > first.Index);
        Assert.Equal("critical", second.Json![0]!["Checks"]![1]!["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegisterService_OnNewNode_OneIndexAndTheFirstWakeHasTheInstance()
    {
        // As /v1/catalog/register: the new node (with serfHealth) and the instance are one write, so the first answer a
        // blocked watcher gets already has the instance, and node, instance and answer share one index.
        var first = await _http.GetAsync("/v1/health/service/web");

        var blocked = _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=30s");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _consul.RegisterService("n3", "10.0.0.3", "web", ["v2"], 80);
        var second = await blocked.WaitAsync(HangGuard);

        Assert.True(second.Index > first.Index);
        Assert.Equal(["n1", "n3"], second.Json!.AsArray().Select(e => e!["Node"]!["Node"]!.GetValue<string>()).Order());
        var n3 = second.Json!.AsArray().Single(e => e!["Node"]!["Node"]!.GetValue<string>() == "n3")!;
        Assert.Equal(second.Index, n3["Node"]!["CreateIndex"]!.GetValue<ulong>());
        Assert.Equal(second.Index, n3["Service"]!["CreateIndex"]!.GetValue<ulong>());
        Assert.Contains(n3["Checks"]!.AsArray(), c => c!["CheckID"]!.GetValue<string>() == "serfHealth");
    }

    [Fact]
    public async Task HealthService_NoChange_ReturnsAtWaitWithSameIndex()
    {
        var first = await _http.GetAsync("/v1/health/service/web");

        var blocked = _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=600ms");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _clock.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(blocked.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(600 / 16 + 1)); // the wait plus at most wait/16 jitter
        var second = await blocked.WaitAsync(HangGuard);

        Assert.Equal(200, second.Status);
        Assert.Equal(first.Index, second.Index);
    }

    [Fact]
    public async Task HealthService_ChangeToOtherService_DoesNotWakeWatcher()
    {
        var first = await _http.GetAsync("/v1/health/service/web");

        var blocked = _http.GetAsync($"/v1/health/service/web?index={first.Index}&wait=800ms");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _consul.RegisterService("n2", "10.0.0.2", "db", ["changed"], 5432);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await blocked.WaitAsync(HangGuard);

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
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _consul.PutKv("feature/flag", "on");
        var hit = await blocked.WaitAsync(HangGuard);

        Assert.Equal(200, hit.Status);
        Assert.True(hit.Index > miss.Index);
    }

    [Fact]
    public async Task Blocking_IndexZero_ReturnsAtOnce()
    {
        // The fake clock never moves here, so an answer proves the query did not wait.
        var reply = await _http.GetAsync("/v1/catalog/service/web?index=0&wait=20s").WaitAsync(HangGuard);

        Assert.Equal(200, reply.Status);
        Assert.Equal(0, _consul.ParkedTotal);
    }

    [Fact]
    public async Task Blocking_IndexFromTheFuture_BlocksUntilWaitThenAnswersLowerIndex()
    {
        var current = (await _http.GetAsync("/v1/catalog/service/web")).Index;

        var blocked = _http.GetAsync($"/v1/catalog/service/web?index={current + 1000}&wait=300ms");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var reply = await blocked.WaitAsync(HangGuard);

        Assert.Equal(current, reply.Index);
    }

    [Fact]
    public async Task KvRecurse_DeleteUnderPrefix_WakesWatcherWithHigherIndex()
    {
        _consul.PutKv("app/a", "1");
        _consul.PutKv("app/b", "2");
        var first = await _http.GetAsync("/v1/kv/app/?recurse");

        var blocked = _http.GetAsync($"/v1/kv/app/?recurse&index={first.Index}&wait=30s");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _consul.DeleteKv("app/b");
        var second = await blocked.WaitAsync(HangGuard);

        Assert.True(second.Index > first.Index);
        Assert.Equal(["app/a"], second.Json!.AsArray().Select(e => e!["Key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task KvGet_WriteToOtherKeyOfSameTable_DoesNotWakeExistingKeyWatcher()
    {
        _consul.PutKv("one", "1");
        var first = await _http.GetAsync("/v1/kv/one");

        var blocked = _http.GetAsync($"/v1/kv/one?index={first.Index}&wait=700ms");
        await _consul.WaitForParkedAsync(1).WaitAsync(HangGuard);
        _consul.PutKv("two", "2");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await blocked.WaitAsync(HangGuard);

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

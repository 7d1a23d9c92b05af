using System.Globalization;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// envoyproxy/ratelimit's STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT, set in the env block: a call refused by one limit
/// does not use up its other limits (their counters stay as they were), while the counter that goes over is still
/// counted; with the local over-limit cache a call already known over increments nothing. Counters read back from Redis.
/// </summary>
public sealed class StopCacheKeyIncrementTests : IAsyncLifetime, IClassFixture<RedisFixture>
{
    private const string Yaml = """
        domain: stop
        descriptors:
          - key: tight
            rate_limit: {unit: minute, requests_per_unit: 2}
          - key: wide
            rate_limit: {unit: minute, requests_per_unit: 100}
        """;

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:15Z", CultureInfo.InvariantCulture);
    private static readonly string Window = (Now.ToUnixTimeSeconds() / 60 * 60).ToString(CultureInfo.InvariantCulture);
    private readonly RedisFixture _redis;
    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["stop.yaml"] = Yaml });

    public StopCacheKeyIncrementTests(RedisFixture redis) => _redis = redis;

    public Task InitializeAsync() => _redis.FlushAsync();

    public Task DisposeAsync()
    {
        _config.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(true, true, 3, 2)]   // call 3 counts only "tight" (it goes over); call 4 is answered by the local cache, nothing counted
    [InlineData(true, false, 4, 2)]  // without the local cache, call 4 reads "tight" over and counts only it
    [InlineData(false, true, 3, 4)]  // the default: "wide" counts every call; call 4's "tight" comes from the local cache
    [InlineData(false, false, 4, 4)]
    public async Task ShouldRateLimit_OneLimitOver_OtherCountersStopOnlyWhenEnabled(bool stop, bool localCache, long tight, long wide)
    {
        await using var host = await StartAsync(stop, localCache);

        var codes = new List<Code>();
        var wideRemaining = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            var response = await host.Client.ShouldRateLimitAsync(Request("stop", Descriptor(("tight", "t")), Descriptor(("wide", "w"))));
            codes.Add(response.OverallCode);
            wideRemaining.Add(response.Statuses[1].LimitRemaining);
        }

        Assert.Equal([Code.Ok, Code.Ok, Code.OverLimit, Code.OverLimit], codes);
        Assert.Equal(tight, await CountAsync("stop_tight_t_"));
        Assert.Equal(wide, await CountAsync("stop_wide_w_"));

        // As in the reference, a counter left as it is reports its current count: 100 - 2 left at calls 3 and 4.
        Assert.Equal(stop ? [99u, 98u, 98u, 98u] : [99u, 98u, 97u, 96u], wideRemaining);

        // A call that is within every limit counts again.
        await host.Client.ShouldRateLimitAsync(Request("stop", ("wide", "w")));
        Assert.Equal(wide + 1, await CountAsync("stop_wide_w_"));
    }

    [Fact]
    public async Task ShouldRateLimit_StopEnabledAllWithinLimits_EveryCounterCounts()
    {
        await using var host = await StartAsync(stop: true, localCache: true);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(Code.Ok, (await host.Client.ShouldRateLimitAsync(Request("stop", Descriptor(("tight", "a")), Descriptor(("wide", "a"))))).OverallCode);
        }

        Assert.Equal(2, await CountAsync("stop_tight_a_"));
        Assert.Equal(2, await CountAsync("stop_wide_a_"));
    }

    private Task<RlsHost> StartAsync(bool stop, bool localCache) => RlsHost.StartAsync(
        _config.Path,
        new Dictionary<string, string?> { ["Rls:RedisOverLimitCache"] = localCache ? "true" : "false", ["Rls:RedisTimeout"] = "00:00:05" },
        new FakeTimeProvider(Now),
        new Dictionary<string, string>
        {
            ["REDIS_SOCKET_TYPE"] = "tcp",
            ["REDIS_URL"] = _redis.Server.Endpoint,
            ["STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT"] = stop ? "true" : "false",
        });

    private async Task<long> CountAsync(string key)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Server.Endpoint);
        return (long)await redis.GetDatabase().StringGetAsync(key + Window);
    }
}

using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Observability;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>The Redis backend's local over-limit cache, observed through the counter Redis keeps.</summary>
public sealed class RedisOverLimitCacheTests : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-25T12:00:15Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly RedisFixture _redis;
    private readonly FakeTimeProvider _time = new(Start);

    public RedisOverLimitCacheTests(RedisFixture redis) => _redis = redis;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private RedisBackend Backend(bool cache, bool batching, RlsMetrics metrics) => new(
        Options.Create(new RlsOptions
        {
            RedisConfiguration = _redis.Server.Endpoint,
            RedisTimeout = TimeSpan.FromSeconds(10),
            RedisOverLimitCache = cache,
            RedisBatching = batching,
        }),
        metrics,
        _time,
        NullLogger<RedisBackend>.Instance);

    private static async Task<CounterResult> CheckAsync(RedisBackend backend, CounterCheck check, long now)
    {
        var results = new CounterResult[1];
        await backend.CheckAsync(new[] { check }, results, now, CancellationToken.None);
        return results[0];
    }

    /// <summary>The Redis count of <paramref name="baseKey"/> in the current minute window.</summary>
    private async Task<long> RedisCountAsync(string baseKey)
    {
        var windowStart = _time.GetUtcNow().ToUnixTimeSeconds() / 60 * 60;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Server.Endpoint);
        return (long)await redis.GetDatabase().StringGetAsync(baseKey + windowStart);
    }

    [Theory]
    [InlineData(true, true, 4)]
    [InlineData(true, false, 4)]
    [InlineData(false, true, 9)]
    public async Task CheckAsync_KeyOverLimit_LaterHitsInTheWindowSkipRedisOnlyWithTheCache(bool cache, bool batching, long expectedRedisCount)
    {
        await _redis.FlushAsync();
        var metrics = new RlsMetrics(new CollectorRegistry());
        using var backend = Backend(cache, batching, metrics);
        var check = new CounterCheck($"olc{cache}{batching}_k_v_", RlsAlgorithm.FixedWindow, 3, 60_000, 1);

        var verdicts = new List<bool>();
        for (var i = 0; i < 9; i++)
        {
            verdicts.Add((await CheckAsync(backend, check, Now)).Admitted);
        }

        Assert.Equal([true, true, true, false, false, false, false, false, false], verdicts);
        Assert.Equal(expectedRedisCount, await RedisCountAsync(check.Key));
        Assert.Equal(9 - expectedRedisCount, metrics.OverLimitLocalCache.Value);
    }

    [Fact]
    public async Task CheckAsync_CachedOverLimit_AnswersResetOfTheWindowAndAdmitsInTheNextWindow()
    {
        await _redis.FlushAsync();
        using var backend = Backend(cache: true, batching: true, new RlsMetrics(new CollectorRegistry()));
        var check = new CounterCheck("olcnext_k_v_", RlsAlgorithm.FixedWindow, 1, 60_000, 1);
        Assert.True((await CheckAsync(backend, check, Now)).Admitted);
        Assert.False((await CheckAsync(backend, check, Now)).Admitted);

        _time.Advance(TimeSpan.FromSeconds(5));
        var cached = await CheckAsync(backend, check, Now);
        Assert.Equal(new CounterResult(false, 0, 40_000, 2), cached);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await CheckAsync(backend, check, Now)).Admitted);
        Assert.Equal(1, await RedisCountAsync(check.Key));
    }

    [Fact]
    public async Task CheckAsync_OneCounterCachedOneNot_SendsOnlyTheOtherAndKeepsOrder()
    {
        await _redis.FlushAsync();
        using var backend = Backend(cache: true, batching: true, new RlsMetrics(new CollectorRegistry()));
        var over = new CounterCheck("olcmix_a_", RlsAlgorithm.FixedWindow, 1, 60_000, 1);
        var under = new CounterCheck("olcmix_b_", RlsAlgorithm.FixedWindow, 100, 60_000, 1);
        await CheckAsync(backend, over, Now);
        await CheckAsync(backend, over, Now);

        var results = new CounterResult[2];
        await backend.CheckAsync(new[] { over, under }, results, Now, CancellationToken.None);

        Assert.False(results[0].Admitted);
        Assert.Equal(new CounterResult(true, 99, 45_000, 1), results[1]);
        Assert.Equal(2, await RedisCountAsync(over.Key));
    }
}

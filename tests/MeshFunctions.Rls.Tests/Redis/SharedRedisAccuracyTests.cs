using Envoy.Service.Ratelimit.V3;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// Three service instances share one Redis; concurrent clients hit all three. The instances share a
/// fake clock parked inside a window, so "per window" is exact: no test depends on wall-clock speed.
/// </summary>
public sealed class SharedRedisAccuracyTests : IAsyncLifetime, IClassFixture<RedisFixture>
{
    private const string Yaml = """
        domain: acc
        descriptors:
          - key: fixed
            rate_limit: {unit: minute, requests_per_unit: 50}
          - key: sliding
            rate_limit: {unit: minute, requests_per_unit: 40, algorithm: sliding_window}
          - key: bucket
            rate_limit: {unit: minute, requests_per_unit: 30, algorithm: token_bucket}
        """;

    private readonly RedisFixture _redis;
    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["acc.yaml"] = Yaml });
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:15Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<RlsHost> _hosts = [];

    public SharedRedisAccuracyTests(RedisFixture redis) => _redis = redis;

    public async Task InitializeAsync()
    {
        await _redis.FlushAsync();
        for (var i = 0; i < 3; i++)
        {
            _hosts.Add(await RlsHost.StartAsync(_config.Path, new Dictionary<string, string?>
            {
                ["Rls:Backend"] = "Redis",
                ["Rls:RedisConfiguration"] = _redis.Server.Endpoint,
                ["Rls:RedisTimeout"] = "00:00:10",
            }, _time));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _config.Dispose();
    }

    /// <summary>12 concurrent clients (4 per instance), <paramref name="total"/> calls in all; returns how many were admitted.</summary>
    private async Task<int> BurstAsync(string key, int total)
    {
        var admitted = 0;
        var next = -1;
        var workers = Enumerable.Range(0, 12).Select(async w =>
        {
            var client = _hosts[w % 3].Client;
            while (Interlocked.Increment(ref next) < total)
            {
                var response = await client.ShouldRateLimitAsync(Request("acc", (key, "shared")));
                if (response.OverallCode == RateLimitResponse.Types.Code.Ok)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        });
        await Task.WhenAll(workers);
        return admitted;
    }

    [Fact]
    public async Task FixedWindow_ThreeInstancesConcurrentClients_AdmittedPerWindowEqualsLimit()
    {
        for (var window = 0; window < 3; window++)
        {
            Assert.Equal(50, await BurstAsync("fixed", 120));
            _time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task SlidingWindow_ThreeInstances_AdmitsLimitMinusWeightedPrevious()
    {
        Assert.Equal(40, await BurstAsync("sliding", 100));

        // 12:01:30: the previous window's 40 weigh 40 × 30/60 = 20, leaving exactly 20.
        _time.Advance(TimeSpan.FromSeconds(75));
        Assert.Equal(20, await BurstAsync("sliding", 60));
    }

    [Fact]
    public async Task TokenBucket_ThreeInstances_BurstEqualsCapacityThenRefillRate()
    {
        Assert.Equal(30, await BurstAsync("bucket", 80));

        // 30 per minute = one token every 2 s: 20 s refill exactly 10.
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(10, await BurstAsync("bucket", 40));
    }
}

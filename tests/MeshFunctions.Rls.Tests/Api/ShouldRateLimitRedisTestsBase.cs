using System.Globalization;
using System.Text.RegularExpressions;
using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>Every ShouldRateLimit feature against a real redis-server, plus what only the Redis backend has.</summary>
public abstract class ShouldRateLimitRedisTestsBase : ShouldRateLimitTestsBase, IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    protected ShouldRateLimitRedisTestsBase(RedisFixture redis) => _redis = redis;

    /// <summary>Settings of this variant on top of the Redis endpoint and timeout.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string?>> VariantSettings { get; }

    protected override async Task<Dictionary<string, string?>> BackendSettingsAsync()
    {
        await _redis.FlushAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = _redis.Server.Endpoint,

            // The fake clock never fires Polly's timeout; give real Redis calls room on a busy machine.
            ["Rls:RedisTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in VariantSettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Metrics_RedisCalls_TimedAndBatchSizesRecorded()
    {
        // The warm-up's script calls are recorded too; count from after them.
        var before = await Host.Http.GetStringAsync("/metrics");
        for (var i = 0; i < 3; i++)
        {
            await CallAsync(("fixed", "m" + i));
        }

        // One call at a time: three script calls of one ShouldRateLimit each, every one timed.
        var text = await Host.Http.GetStringAsync("/metrics");
        double Delta(string name) => Sample(text, name) - Sample(before, name);
        Assert.Equal(3, Delta("rls_redis_batch_calls_count"));
        Assert.Equal(3, Delta("rls_redis_batch_calls_sum"));
        Assert.Equal(3, Delta("rls_redis_call_duration_seconds_count"));
        Assert.Equal(3, Delta("rls_redis_call_duration_seconds_bucket{le=\"+Inf\"}"));
        Assert.InRange(Delta("rls_redis_call_duration_seconds_sum"), double.Epsilon, 15);
    }

    private static double Sample(string metrics, string name)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(name) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} missing from /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

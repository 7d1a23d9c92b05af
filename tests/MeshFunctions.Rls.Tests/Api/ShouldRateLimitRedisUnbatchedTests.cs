using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>
/// The Redis backend with batching off (one script call per ShouldRateLimit) and replies read on
/// StackExchange.Redis' dedicated I/O threads instead of the thread pool (the non-default settings).
/// </summary>
public sealed class ShouldRateLimitRedisUnbatchedTests : ShouldRateLimitTestsBase, IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public ShouldRateLimitRedisUnbatchedTests(RedisFixture redis) => _redis = redis;

    protected override async Task<Dictionary<string, string?>> BackendSettingsAsync()
    {
        await _redis.FlushAsync();
        return new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisBatching"] = "false",
            ["Rls:RedisDedicatedSocketThreads"] = "true",
            ["Rls:RedisConfiguration"] = _redis.Server.Endpoint,
            ["Rls:RedisTimeout"] = "00:00:05",
        };
    }
}

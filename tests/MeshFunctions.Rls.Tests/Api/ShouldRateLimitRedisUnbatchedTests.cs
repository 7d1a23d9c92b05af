using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>
/// The Redis backend with batching off (one script call per ShouldRateLimit) and replies read on
/// StackExchange.Redis' dedicated I/O threads instead of the thread pool (the non-default settings).
/// </summary>
public sealed class ShouldRateLimitRedisUnbatchedTests : ShouldRateLimitRedisTestsBase
{
    public ShouldRateLimitRedisUnbatchedTests(RedisFixture redis)
        : base(redis)
    {
    }

    protected override IEnumerable<KeyValuePair<string, string?>> VariantSettings =>
    [
        new("Rls:RedisBatching", "false"),
        new("Rls:RedisDedicatedSocketThreads", "true"),
    ];
}

using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>The Redis backend with its defaults: concurrent calls batched, replies read on the thread pool.</summary>
public sealed class ShouldRateLimitRedisTests : ShouldRateLimitRedisTestsBase
{
    public ShouldRateLimitRedisTests(RedisFixture redis)
        : base(redis)
    {
    }

    protected override IEnumerable<KeyValuePair<string, string?>> VariantSettings => [];
}

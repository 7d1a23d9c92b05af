using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

public sealed class ShouldRateLimitRedisTests : ShouldRateLimitTestsBase, IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public ShouldRateLimitRedisTests(RedisFixture redis) => _redis = redis;

    protected override async Task<Dictionary<string, string?>> BackendSettingsAsync()
    {
        await _redis.FlushAsync();
        return new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = _redis.Server.Endpoint,

            // The fake clock never fires Polly's timeout; give real Redis calls room on a busy machine.
            ["Rls:RedisTimeout"] = "00:00:05",
        };
    }
}

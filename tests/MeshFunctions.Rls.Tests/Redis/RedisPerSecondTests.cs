using System.Globalization;
using MeshFunctions.Rls.Tests.Infrastructure;
using MeshFunctions.TestKit.Processes;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// envoyproxy/ratelimit's REDIS_PERSECOND: started from the reference's env block with two real redis-servers, counters
/// of per-second limits land in the per-second Redis and the others in the main one, read back with StackExchange.Redis
/// under the reference's key names.
/// </summary>
public sealed class RedisPerSecondTests : IAsyncLifetime
{
    private const string Yaml = """
        domain: ps
        descriptors:
          - key: sec
            rate_limit: {unit: second, requests_per_unit: 3}
          - key: min
            rate_limit: {unit: minute, requests_per_unit: 5}
        """;

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:15.250Z", CultureInfo.InvariantCulture);
    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["ps.yaml"] = Yaml });
    private RedisServer _main = null!;
    private RedisServer _perSecond = null!;

    public async Task InitializeAsync()
    {
        _main = await RedisServer.StartAsync();
        _perSecond = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _main.DisposeAsync();
        await _perSecond.DisposeAsync();
        _config.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ShouldRateLimit_RedisPerSecondEnv_SecondLimitsCountedInTheSecondRedis(bool batching)
    {
        await using var host = await RlsHost.StartAsync(
            _config.Path,
            new Dictionary<string, string?> { ["Rls:RedisOverLimitCache"] = "false", ["Rls:RedisBatching"] = batching ? "true" : "false", ["Rls:RedisTimeout"] = "00:00:05" },
            new FakeTimeProvider(Now),
            new Dictionary<string, string>
            {
                ["USE_STATSD"] = "false",
                ["REDIS_SOCKET_TYPE"] = "tcp",
                ["REDIS_URL"] = _main.Endpoint,
                ["REDIS_PERSECOND"] = "true",
                ["REDIS_PERSECOND_SOCKET_TYPE"] = "tcp",
                ["REDIS_PERSECOND_TYPE"] = "SINGLE",
                ["REDIS_PERSECOND_URL"] = _perSecond.Endpoint,
                ["REDIS_PERSECOND_POOL_SIZE"] = "5",
            });

        // Connected before the calls: the per-second counter lives one real second in Redis (the service's clock is
        // fixed, Redis's is not), so the reads must follow the last call at once, and PERSIST keeps it for them.
        await using var main = await ConnectionMultiplexer.ConnectAsync(_main.Endpoint);
        await using var perSecond = await ConnectionMultiplexer.ConnectAsync(_perSecond.Endpoint);
        var secondKey = "ps_sec_a_" + Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var minuteKey = "ps_min_b_" + (Now.ToUnixTimeSeconds() / 60 * 60).ToString(CultureInfo.InvariantCulture);
        var codes = new List<Code>();
        for (var i = 0; i < 5; i++)
        {
            var response = await host.Client.ShouldRateLimitAsync(Request("ps", Descriptor(("sec", "a")), Descriptor(("min", "b"))));
            codes.Add(response.OverallCode);
        }

        Assert.True(await perSecond.GetDatabase().KeyPersistAsync(secondKey), "the per-second counter is missing from the per-second Redis (or expired before it was read)");

        // The per-second limit (3) refuses calls 4 and 5; the per-minute one (5) admits all five.
        Assert.Equal([Code.Ok, Code.Ok, Code.Ok, Code.OverLimit, Code.OverLimit], codes);
        Assert.Equal(5, (long)await perSecond.GetDatabase().StringGetAsync(secondKey));
        Assert.Equal(5, (long)await main.GetDatabase().StringGetAsync(minuteKey));
        Assert.False(await main.GetDatabase().KeyExistsAsync(secondKey));
        Assert.False(await perSecond.GetDatabase().KeyExistsAsync(minuteKey));
        Assert.Equal([minuteKey], main.GetServer(_main.Endpoint).Keys(pattern: "ps_*").Select(k => k.ToString()));
        Assert.Equal([secondKey], perSecond.GetServer(_perSecond.Endpoint).Keys(pattern: "ps_*").Select(k => k.ToString()));
    }

    [Fact]
    public async Task ShouldRateLimit_PerSecondRedisDown_OnlyItsCountersGetTheFailureMode()
    {
        await using var host = await RlsHost.StartAsync(
            _config.Path,
            new Dictionary<string, string?>
            {
                ["Rls:Backend"] = "Redis",
                ["Rls:RedisConfiguration"] = _main.Endpoint,
                ["Rls:RedisPerSecondConfiguration"] = _perSecond.Endpoint,
                ["Rls:FailureMode"] = "Closed",
                ["Rls:RedisTimeout"] = "00:00:05",
            },
            new FakeTimeProvider(Now));
        await _perSecond.KillAsync();

        // FailureMode Closed: the per-second counter's status is OVER_LIMIT (its Redis is gone) while the per-minute one
        // is still counted in the main Redis.
        var response = await host.Client.ShouldRateLimitAsync(Request("ps", Descriptor(("sec", "down")), Descriptor(("min", "up"))));
        Assert.Equal(Code.OverLimit, response.Statuses[0].Code);
        Assert.Equal(Code.Ok, response.Statuses[1].Code);
        await using var main = await ConnectionMultiplexer.ConnectAsync(_main.Endpoint);
        var minuteKey = "ps_min_up_" + (Now.ToUnixTimeSeconds() / 60 * 60).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(1, (long)await main.GetDatabase().StringGetAsync(minuteKey));
    }
}

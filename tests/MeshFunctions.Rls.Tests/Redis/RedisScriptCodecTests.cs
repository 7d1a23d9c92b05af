using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Tests.Infrastructure;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// The script's encoder and decoder round-trip through the real script on a real redis-server, per algorithm and mixed in
/// one call (the variable-width reply: one value per fixed window, four per other counter).
/// </summary>
public sealed class RedisScriptCodecTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const long Now = 1_795_000_815_250; // inside a minute window, 15.25 s after its start
    private readonly RedisFixture _redis;

    public RedisScriptCodecTests(RedisFixture redis) => _redis = redis;

    public Task InitializeAsync() => _redis.FlushAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(RlsAlgorithm.FixedWindow)]
    [InlineData(RlsAlgorithm.SlidingWindow)]
    [InlineData(RlsAlgorithm.TokenBucket)]
    public async Task EncodeRunDecode_LimitTwo_ThirdHitRefused(RlsAlgorithm algorithm)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Server.Endpoint);
        var check = new CounterCheck("dom_k_v_", algorithm, 2, 60_000, 1);

        var results = new List<CounterResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add((await RunAsync(redis, [check]))[0]);
        }

        Assert.Equal([true, true, false], results.Select(r => r.Admitted));
        Assert.Equal([1L, 0L, 0L], results.Select(r => r.Remaining));
        Assert.All(results, r => Assert.False(r.Failed));
        if (algorithm == RlsAlgorithm.FixedWindow)
        {
            // The reference's key: prefix + base + window start in Unix seconds; the reset is what is left of the window.
            Assert.Equal(3, (long)await redis.GetDatabase().StringGetAsync("p:dom_k_v_" + ((Now - (Now % 60_000)) / 1000)));
            Assert.Equal([1L, 2L, 3L], results.Select(r => r.Used));
            Assert.All(results, r => Assert.Equal(60_000 - 15_250, r.ResetMs));
        }
    }

    [Fact]
    public async Task EncodeRunDecode_MixedAlgorithmsInOneCall_EachReadAtItsPosition()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Server.Endpoint);
        CounterCheck[] checks =
        [
            new("a_", RlsAlgorithm.SlidingWindow, 5, 60_000, 2),
            new("b_", RlsAlgorithm.FixedWindow, 5, 60_000, 3),
            new("c_", RlsAlgorithm.TokenBucket, 5, 60_000, 4),
            new("d_", RlsAlgorithm.FixedWindow, 1, 1_000, 2),
        ];

        var results = await RunAsync(redis, checks);

        Assert.Equal([3L, 2L, 1L, 0L], results.Select(r => r.Remaining));
        Assert.Equal([true, true, true, false], results.Select(r => r.Admitted));
        Assert.Equal(2, results[3].Used);
    }

    [Fact]
    public void Decode_ShortReply_NothingWritten()
    {
        CounterCheck[] checks = [new("a_", RlsAlgorithm.FixedWindow, 5, 60_000, 1), new("b_", RlsAlgorithm.TokenBucket, 5, 60_000, 1)];
        var results = new CounterResult[2];

        Assert.Equal(-1, RedisScriptCodec.Decode([1, 1, 4, 0], 0, Now, checks, results, null));
        Assert.Equal(-1, RedisScriptCodec.Decode(null, 0, Now, checks, results, null));
        Assert.Equal(5, RedisScriptCodec.Decode([1, 1, 4, 0, 1], 0, Now, checks, results, null));
    }

    private static async Task<CounterResult[]> RunAsync(ConnectionMultiplexer redis, CounterCheck[] checks)
    {
        var keys = new RedisKey[checks.Length];
        var args = new RedisValue[RedisScriptCodec.ArgumentCount(checks.Length)];
        args[0] = Now;
        RedisScriptCodec.Encode(checks, keys, args, 0, Now, "p:", cluster: false);
        var reply = (long[]?)await redis.GetDatabase().ScriptEvaluateAsync(RedisScript.Source, keys, args);
        var results = new CounterResult[checks.Length];
        Assert.NotEqual(-1, RedisScriptCodec.Decode(reply, 0, Now, checks, results, null));
        return results;
    }
}

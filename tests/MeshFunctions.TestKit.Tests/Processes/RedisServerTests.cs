using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.TestKit.Tests.Processes;

public sealed class RedisServerTests
{
    [Fact]
    public async Task StartAsync_Installed_AnswersPing()
    {
        await using var redis = await RedisServer.StartAsync();

        Assert.True(await redis.PingAsync());
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.Endpoint);
    }

    [Fact]
    public async Task KillThenRestart_SamePort_RefusesThenAnswersAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        var port = redis.Port;

        await redis.KillAsync();
        var whileDown = await redis.PingAsync();
        await redis.RestartAsync();

        Assert.False(whileDown);
        Assert.Equal(port, redis.Port);
        Assert.True(await redis.PingAsync());
    }

    [Fact]
    public async Task PauseThenResume_HoldsRepliesThenAnswers()
    {
        await using var redis = await RedisServer.StartAsync();

        redis.Pause();
        using (var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            // Connected and sent, but a stopped server answers nothing.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => redis.PingAsync(wait.Token));
        }

        redis.Resume();
        Assert.True(await redis.PingAsync());
    }

    [Fact]
    public async Task Pause_Killed_ClearErrorInsteadOfSignallingAnotherProcess()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();

        var error = Assert.Throws<InvalidOperationException>(redis.Pause);
        Assert.Contains("not running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWithAsync_NoBinary_ClearMessageNamingTheFix()
    {
        var error = await Assert.ThrowsAsync<TestDependencyMissingException>(() => RedisServer.StartWithAsync(null, CancellationToken.None));

        Assert.Contains("MF_REDIS_SERVER", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y redis-server", error.Message, StringComparison.Ordinal);
    }
}

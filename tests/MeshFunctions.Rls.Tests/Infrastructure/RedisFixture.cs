using StackExchange.Redis;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>One redis-server per test class; <see cref="FlushAsync"/> gives each test empty counters.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task FlushAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration + ",allowAdmin=true");
        await redis.GetServer(Server.Configuration).FlushAllDatabasesAsync();
    }
}

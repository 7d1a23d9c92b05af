using MeshFunctions.TestKit.Processes;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>One redis-server (the test kit's) per test class; <see cref="FlushAsync"/> gives each test empty counters.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task FlushAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Endpoint + ",allowAdmin=true");
        await redis.GetServer(Server.Endpoint).FlushAllDatabasesAsync();
    }
}

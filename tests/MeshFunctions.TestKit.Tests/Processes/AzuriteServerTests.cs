using Azure;
using Azure.Storage.Queues;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.TestKit.Tests.Processes;

public sealed class AzuriteServerTests
{
    [Fact]
    public async Task GetSharedAsync_SendAndReceive_Base64RoundTrip()
    {
        var azurite = await AzuriteServer.GetSharedAsync();
        var queue = azurite.CreateQueueServiceClient().GetQueueClient($"shared-{Guid.NewGuid():N}");
        await queue.CreateAsync();

        await queue.SendMessageAsync("héllo");
        var raw = (await azurite.CreateQueueServiceClient(QueueMessageEncoding.None).GetQueueClient(queue.Name).PeekMessageAsync()).Value;
        var decoded = (await queue.ReceiveMessageAsync()).Value;

        Assert.Equal(Convert.ToBase64String("héllo"u8.ToArray()), raw.Body.ToString());
        Assert.Equal("héllo", decoded.Body.ToString());
        Assert.Same(azurite, await AzuriteServer.GetSharedAsync());
    }

    [Fact]
    public async Task Private_KillThenRestart_SamePortRefusesThenServesEmpty()
    {
        await using var azurite = await AzuriteServer.StartPrivateAsync();
        var client = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
        {
            Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) },
        });
        var queue = client.GetQueueClient("kept-" + Guid.NewGuid().ToString("N")[..8]);
        await queue.CreateAsync();

        await azurite.KillAsync();
        var whileDown = await Assert.ThrowsAsync<RequestFailedException>(() => queue.ExistsAsync());
        await azurite.RestartAsync();

        Assert.Equal(0, whileDown.Status);
        Assert.False((await queue.ExistsAsync()).Value);
        Assert.True(azurite.IsPrivate);
    }

    [Fact]
    public async Task StartPrivateWithAsync_NoBinary_ClearMessageNamingTheFix()
    {
        var error = await Assert.ThrowsAsync<TestDependencyMissingException>(() => AzuriteServer.StartPrivateWithAsync(null, CancellationToken.None));

        Assert.Contains("MF_AZURITE_QUEUE_BIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm install --prefix .tools azurite@3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillAsync_ConnectedInstance_RefusedWithReason()
    {
        var azurite = AzuriteServer.Connect(new Uri("http://127.0.0.1:10001/devstoreaccount1"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(azurite.KillAsync);

        Assert.False(azurite.IsPrivate);
        Assert.Contains("StartPrivateAsync", error.Message, StringComparison.Ordinal);
    }
}

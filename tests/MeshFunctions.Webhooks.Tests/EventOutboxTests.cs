using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Processes;
using MeshFunctions.Webhooks.Events;
using MeshFunctions.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>The mesh-config-events outbox across a storage outage, on a private Azurite that the test stops and restarts.</summary>
public sealed class EventOutboxTests
{
    [Fact]
    public async Task Validate_RouterAdmittedWhileQueueDown_EventArrivesAfterRestart()
    {
        await using var azurite = await AzuriteServer.StartPrivateAsync();
        await using var host = await WebhookHost.StartAsync(
            s =>
            {
                s["AzureWebJobsStorage"] = azurite.ConnectionString;
                s["Webhooks:EventRetryMaxDelay"] = "00:00:01";
            },
            recordEvents: false);
        var sink = (QueueMeshConfigEventSink)host.Services.GetRequiredService<IMeshConfigEventSink>();
        await azurite.KillAsync();

        var router = Objects.Router("checkout");
        var (response, _) = await host.PostAsync("/validate/resources", Reviews.For("UPDATE", router, router));
        Assert.True((bool)response["allowed"]!);
        await WebhookHost.WaitUntilAsync(() => host.Logs.Entries.Any(e => e.Id.Id == 300), "a failed send while the queue is down");
        Assert.Contains("meshfunctions_webhook_events_pending 1", await host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // An in-memory Azurite comes back empty: the queue itself is gone too.
        await azurite.RestartAsync();
        await WebhookHost.WaitUntilAsync(() => sink.Sent == 1, "the event to be sent after the restart");

        var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, MeshEventQueues.MeshConfigEvents, AzuriteServer.ClientOptions());
        var message = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        var received = MeshEventCodec.Decode<MeshConfigEvent>(message.Body.ToMemory(), MeshEventTypes.MeshConfig);
        Assert.Equal(new MeshConfigEvent("Router", "shop", "checkout", "UPDATE", null), received.Data);
        Assert.Equal(0, sink.Dropped);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("meshfunctions_webhook_events_pending 0", metrics, StringComparison.Ordinal);
        Assert.Contains("meshfunctions_webhook_events_sent_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("meshfunctions_webhook_events_dropped_total 0", metrics, StringComparison.Ordinal);
    }
}

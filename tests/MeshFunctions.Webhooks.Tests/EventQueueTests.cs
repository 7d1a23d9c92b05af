using System.Text.Json.Nodes;
using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Processes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>mesh-config-events on a real Azurite (eng/test.sh starts it; MF_AZURITE_QUEUE), read back as the Functions trigger would.</summary>
public sealed class EventQueueTests
{
    [Fact]
    public async Task Validate_RouterAdmitted_Base64CloudEventOnMeshConfigQueue()
    {
        var azurite = await AzuriteServer.GetSharedAsync();
        await using var host = await WebhookHost.StartAsync(s => s["AzureWebJobsStorage"] = azurite.ConnectionString, recordEvents: false);
        var name = "r" + Guid.NewGuid().ToString("N")[..10];
        var router = JsonNode.Parse($$$"""
            {"apiVersion":"router.service-mesh.zhihu.com/v1","kind":"Router","metadata":{"name":"{{{name}}}","namespace":"shop","generation":3},
             "spec":{"port":8080,"protocol":"http","subsets":[{"branch":"master","versions":{"v1":100}}]}}
            """)!.AsObject();

        var (response, _) = await host.PostAsync("/validate/resources", Reviews.For("UPDATE", router, router));
        Assert.True((bool)response["allowed"]!);

        // The queue is shared with other tests: peek (never take) and pick this test's event by name.
        var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, MeshEventQueues.MeshConfigEvents, AzuriteServer.ClientOptions());
        MeshEvent<MeshConfigEvent>? found = null;
        await WebhookHost.WaitUntilAsync(
            () =>
            {
                if (!queue.Exists())
                {
                    return false;
                }

                found = queue.PeekMessages(32).Value
                    .Select(m => MeshEventCodec.Decode<MeshConfigEvent>(m.Body.ToMemory(), MeshEventTypes.MeshConfig))
                    .FirstOrDefault(e => e.Data.Name == name);
                return found is not null;
            },
            "the event on the queue");

        Assert.Equal(new MeshConfigEvent("Router", "shop", name, "UPDATE", 3), found!.Data);
        Assert.Equal("shop/" + name, found.Subject);
    }
}

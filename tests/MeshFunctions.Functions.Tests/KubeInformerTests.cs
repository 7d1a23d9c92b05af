using System.Text.Json.Nodes;
using MeshFunctions.Functions.Kubernetes;
using MeshFunctions.TestKit.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFunctions.Functions.Tests;

/// <summary>The list-then-watch cache against the Kubernetes API stand-in: events, bookmarks, and a relist after 410 Gone.</summary>
public sealed class KubeInformerTests
{
    [Fact]
    public async Task Informer_WatchHistoryCompactedWhileDisconnected_RelistsAndSeesTheMissedObject()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var client = api.CreateClient();
        var (_, informer) = Create(client);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        api.Seed(Rule("a", "blue"));
        api.Seed(Rule("unlabelled", null));
        await informer.Synced.WaitAsync(MeshApp.Patience);
        await WaitForAsync(() => informer.ByIndex("blue").Count == 1, "the first rule");

        // Disconnected (every watch fails), it misses a create, and the server compacts the history it would resume from.
        api.Faults.FailNext(1_000_000, 503, new KubeRequestMatch("watch"));
        api.DropWatches();
        api.Seed(Rule("b", "blue"));
        api.CompactHistory();
        api.Faults.Clear();

        await WaitForAsync(() => informer.ByIndex("blue").Count == 2, "the rule created while disconnected");
        Assert.Equal(2, informer.Lists);
        Assert.Empty(informer.ByIndex("green"));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_ModifiedAndDeleted_MovesBetweenIndexKeys()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var client = api.CreateClient();
        var (kube, informer) = Create(client);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(MeshApp.Patience);
        api.Seed(Rule("a", "blue"));
        await WaitForAsync(() => informer.ByIndex("blue").Count == 1, "the rule");

        await kube.PatchAsync(KubeKind.DestinationRule, "shop", "a", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "green" } } }, CancellationToken.None);
        await WaitForAsync(() => informer.ByIndex("green").Count == 1 && informer.ByIndex("blue").Count == 0, "the relabelled rule");
        api.SendBookmarks();
        await kube.DeleteAsync(KubeKind.DestinationRule, "shop", "a", CancellationToken.None);
        await WaitForAsync(() => informer.ByIndex("green").Count == 0, "the deletion");
        Assert.Equal(1, informer.Lists);
        await stop.CancelAsync();
        await run;
    }

    /// <summary>An informer of DestinationRules that carry a <c>team</c> label, indexed by that label.</summary>
    private static (KubeObjects Kube, KubeInformer Informer) Create(k8s.Kubernetes client)
    {
        var kube = new KubeObjects(client, KubeResilience.Build(new ReconcilerOptions(), TimeProvider.System));
        return (kube, new KubeInformer(kube, KubeKind.DestinationRule, "team", o => (string?)o["metadata"]?["labels"]?["team"], TimeProvider.System, NullLogger.Instance));
    }

    private static JsonObject Rule(string name, string? team)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "shop" };
        if (team is not null)
        {
            metadata["labels"] = new JsonObject { ["team"] = team };
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "DestinationRule",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["host"] = "checkout.shop.svc.cluster.local" },
        };
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(MeshApp.Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Rendering;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// What a reconcile reads: its Router's objects come from the instance's watch-fed index and are then read by name, so a
/// deploy event costs the same reads whatever the size of the fleet; a plan that takes something away first lists every
/// labelled object, so a stale index can never let a subset go while a route still uses it.
/// </summary>
public sealed class ReadCostTests
{
    private const int Fleet = 300;

    [Fact]
    public async Task DeployEvents_InALargeFleet_ReconcileListsNothing()
    {
        await using var app = await MeshApp.StartAsync();
        SeedFleet(app.Api, Fleet);
        await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        var before = app.Api.Metrics;

        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        await app.DeployAsync(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 });

        var served = app.Api.Metrics.Since(before);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }, app.MasterWeights());
        // No list of what Routers render (IstioFilters and RateLimits are still listed fresh: there are none here).
        var rendered = new[] { "services", "destinationrules", "virtualservices", "authorizationpolicies", "envoyfilters", "telemetries" };
        Assert.True(rendered.Sum(r => served.Count("list", r)) == 0 && served.ListEvaluatedObjects == 0, $"two deploy events in a fleet of {Fleet}: {served}");
        Assert.True(served.Count("get", "virtualservices") > 0, $"the live VirtualService is read by name: {served}");
        app.AssertNoMissingSubsetEver(family: w => w.Name.Split("--")[0]);
    }

    [Fact]
    public async Task DeployEvents_RemovalWhileTheIndexIsBlind_ListsEveryObjectFirst()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        await app.DeployAsync(3, DeployAction.Promoted, "v2");

        // The index stops hearing from the API server (every watch fails from now on) ...
        app.Api.Faults.FailNext(1_000_000, 503, new KubeRequestMatch("watch"));
        app.Api.DropWatches();

        // ... and then a route to v1 appears that the index cannot know about, as when another instance created it a moment
        // ago: a VirtualService labelled as the Router's (so it is the Router's to remove), not one it renders.
        app.Api.Seed(ExtraRoute("checkout-extra", "checkout", "v1"));

        await app.DeployAsync(4, DeployAction.Deleted, "v1");

        Assert.Null(app.Get("virtualservices", "shop", "checkout-extra"));
        Assert.Equal(["default", "v2"], app.Subsets("shop", "checkout--master"));
        var lastListed = app.Api.Writes.Last(w => w.Name == "checkout-extra").ResourceVersion;
        var subsetGone = app.Api.Writes.First(w => w.Type.Plural == "destinationrules" && w.Name == "checkout--master" && w.Verb != KubeWriteVerb.Delete
            && !(w.Object["spec"]?["subsets"]?.AsArray() ?? []).Any(s => (string?)s?["name"] == "v1")).ResourceVersion;
        Assert.True(lastListed < subsetGone, "the unknown route to v1 went before the v1 subset");
        app.AssertNoMissingSubsetEver();
        app.Api.Faults.Clear();
    }

    private static void SeedFleet(FakeKubernetesApi api, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var service = "fleet-" + i.ToString(CultureInfo.InvariantCulture);
            var host = service + ".shop.svc.cluster.local";
            api.Seed(Labelled("DestinationRule", service + "--master", service, new JsonObject
            {
                ["host"] = host,
                ["subsets"] = new JsonArray(new JsonObject { ["name"] = "v1", ["labels"] = new JsonObject { ["version"] = "v1" } }),
            }));
            api.Seed(Labelled("VirtualService", service, service, new JsonObject
            {
                ["hosts"] = new JsonArray(host),
                ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = "v1" } }) }),
            }));
        }
    }

    private static JsonObject ExtraRoute(string name, string router, string subset)
    {
        var host = router + "--master.shop.svc.cluster.local";
        return Labelled("VirtualService", name, router, new JsonObject
        {
            ["hosts"] = new JsonArray(name + ".shop.svc.cluster.local"),
            ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = subset } }) }),
        });
    }

    private static JsonObject Labelled(string kind, string name, string router, JsonObject spec) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "shop",
            ["labels"] = new JsonObject
            {
                [RouterLabels.ManagedBy] = "meshfunctions",
                [RouterLabels.RouterName] = router,
                [RouterLabels.RouterNamespace] = "shop",
            },
        },
        ["spec"] = spec,
    };
}

using System.Text.Json.Nodes;
using k8s;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Sandboxes, IstioFilters and RateLimits end to end: events in, Istio objects and statuses out, checked over every write.
/// The same scenarios run twice: in-process (<see cref="ScenarioTests"/>) and through the built app as its own worker
/// process under the Functions host stand-in (<see cref="HostScenarioTests"/>).
/// </summary>
public abstract class ScenarioTestsBase : IAsyncLifetime
{
    private MeshApp? _app;

    private protected MeshApp App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _app = await MeshApp.StartAsync();
        await StartConsumerAsync(_app);
    }

    public async Task DisposeAsync()
    {
        await StopConsumerAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Starts what consumes the app's queues.</summary>
    private protected abstract Task StartConsumerAsync(MeshApp app);

    /// <summary>Stops it (before the app's Azurite and API stand-in go).</summary>
    protected abstract ValueTask StopConsumerAsync();

    /// <summary>Runs the consumer until every queue is empty, continuations included.</summary>
    protected abstract Task IdleAsync();

    /// <summary>Every delivery the consumer has made so far.</summary>
    private protected abstract IReadOnlyList<TestKit.Functions.FunctionInvocation> Invocations { get; }

    private async Task DeployAsync(long sequence, DeployAction action, string? version = null, string branch = "master", Dictionary<string, int>? weights = null)
    {
        await App.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(sequence, action, version, weights, branch));
        await IdleAsync();
    }

    /// <summary>A transient retry is allowed (invocations run concurrently); a lost or undecodable event is not.</summary>
    private void AssertNothingPoisoned() =>
        Assert.DoesNotContain(Invocations, i => i.Outcome is TestKit.Functions.FunctionOutcome.Poisoned or TestKit.Functions.FunctionOutcome.Undecodable);

    [Fact]
    public async Task DeployEvents_Rollback_RoutesBackBeforeTheNewSubsetGoes()
    {
        var app = App;
        await DeployAsync(1, DeployAction.Deployed, "v1");
        await DeployAsync(2, DeployAction.Deployed, "v2");
        await DeployAsync(3, DeployAction.Weighted, weights: new() { ["v1"] = 50, ["v2"] = 50 });
        var before = app.Api.Writes.Count;

        await DeployAsync(4, DeployAction.RolledBack, "v1");

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        Assert.Equal(["default", "v1"], app.Subsets("shop", "checkout--master"));
        var istioWrites = app.Api.Writes.Skip(before).Where(w => w.Type.Plural is "virtualservices" or "destinationrules").Select(w => w.Type.Plural).ToList();
        Assert.Equal(["virtualservices", "destinationrules"], istioWrites);
        app.AssertNoMissingSubsetEver();
        AssertNothingPoisoned();
    }

    [Fact]
    public async Task DeployEvents_SandboxBranch_IsCreatedInItsNamespaceAndRemoved()
    {
        var app = App;
        await DeployAsync(1, DeployAction.Deployed, "v1");

        await DeployAsync(2, DeployAction.Deployed, "v7", branch: "box-1");

        Assert.NotNull(app.Get("services", "shop--box-1", "checkout--box-1"));
        Assert.Equal(["default", "v7"], app.Subsets("shop--box-1", "checkout--box-1"));
        var routes = app.Get("virtualservices", "shop", "checkout")!["spec"]!["http"]!.AsArray();
        Assert.Equal("box-1", (string?)routes[0]!["match"]![0]!["sourceLabels"]!["branch"]);

        await DeployAsync(3, DeployAction.Deleted, branch: "box-1");

        Assert.Null(app.Get("destinationrules", "shop--box-1", "checkout--box-1"));
        Assert.Null(app.Get("services", "shop--box-1", "checkout--box-1"));
        Assert.Single(app.Get("virtualservices", "shop", "checkout")!["spec"]!["http"]!.AsArray());
        app.AssertNoMissingSubsetEver();
        AssertNothingPoisoned();
    }

    [Fact]
    public async Task MeshConfigEvents_IstioFilterAddAndRemove_PatchesTheRouteAndReportsTheConflictOnTheLoser()
    {
        var app = App;
        await DeployAsync(1, DeployAction.Deployed, "v1");

        app.Api.Seed(Filter("team-a-retries", 10, new JsonObject { ["attempts"] = 5 }));
        app.Api.Seed(Filter("team-b-retries", 20, new JsonObject { ["attempts"] = 1, ["retryOn"] = "connect-failure" }));
        await app.ConfigChangedAsync("IstioFilter", "team-b-retries", "CREATE");
        await IdleAsync();

        var route = app.Get("virtualservices", "shop", "checkout")!["spec"]!["http"]![0]!;
        Assert.Equal(1, (int?)route["retries"]!["attempts"]);
        var loser = app.Get("istiofilters", "shop", "team-a-retries")!["status"]!;
        Assert.Contains(loser["conditions"]!.AsArray(), c => (string?)c!["type"] == "Conflicted" && (string?)c["status"] == "True");
        Assert.Contains("team-b-retries", loser["conflicts"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var winner = app.Get("istiofilters", "shop", "team-b-retries")!["status"]!;
        Assert.Contains(winner["conditions"]!.AsArray(), c => (string?)c!["type"] == "Conflicted" && (string?)c["status"] == "False");

        using var client = app.Api.CreateClient();
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("filter.service-mesh.zhihu.com", "v1", "shop", "istiofilters", "team-a-retries");
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("filter.service-mesh.zhihu.com", "v1", "shop", "istiofilters", "team-b-retries");
        await app.ConfigChangedAsync("IstioFilter", "team-b-retries", "DELETE");
        await IdleAsync();

        Assert.Null(app.Get("virtualservices", "shop", "checkout")!["spec"]!["http"]![0]!["retries"]);
        app.AssertNoMissingSubsetEver();
        AssertNothingPoisoned();
    }

    [Fact]
    public async Task MeshConfigEvents_RateLimitAddAndRemove_WritesEnvoyFilterRlsConfigAndSidecarThenDeletesTheFilter()
    {
        var app = App;
        await DeployAsync(1, DeployAction.Deployed, "v1");

        app.Api.Seed(JsonNode.Parse("""
            {"apiVersion":"quota.service-mesh.zhihu.com/v1","kind":"RateLimit","metadata":{"name":"checkout-writes","namespace":"shop"},
             "spec":{"hosts":["checkout.shop.svc.cluster.local:8080"],"quota":100,"unit":"MINUTE"}}
            """)!.AsObject());
        await app.ConfigChangedAsync("RateLimit", "checkout-writes", "CREATE");
        await IdleAsync();

        Assert.NotNull(app.Get("envoyfilters", "shop", "ratelimit-checkout"));
        var rls = (string)app.Get("configmaps", "meshfunctions", "rls-config")!["data"]!["config.yaml"]!;
        Assert.Contains("shop/checkout-writes", rls, StringComparison.Ordinal);
        var hosts = app.Get("sidecars", "shop", "checkout-egress")!["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => (string)h!).ToList();
        Assert.Contains("meshfunctions/rls.meshfunctions.svc.cluster.local", hosts);
        var sidecarWrite = app.Api.Writes.First(w => w.Type.Plural == "sidecars").ResourceVersion;
        var filterWrite = app.Api.Writes.First(w => w.Type.Plural == "envoyfilters").ResourceVersion;
        Assert.True(sidecarWrite < filterWrite, "the Sidecar must import the RLS host before the filter calls it");

        // A deploy event after the change: the RLS configuration is not rewritten (its RateLimits did not change).
        var rlsWrites = app.Api.Writes.Count(w => w.Type.Plural == "configmaps");
        await DeployAsync(2, DeployAction.Deployed, "v2");
        Assert.Equal(rlsWrites, app.Api.Writes.Count(w => w.Type.Plural == "configmaps"));

        using var client = app.Api.CreateClient();
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("quota.service-mesh.zhihu.com", "v1", "shop", "ratelimits", "checkout-writes");
        await app.ConfigChangedAsync("RateLimit", "checkout-writes", "DELETE");
        await IdleAsync();

        Assert.Null(app.Get("envoyfilters", "shop", "ratelimit-checkout"));
        Assert.DoesNotContain("checkout-writes", (string)app.Get("configmaps", "meshfunctions", "rls-config")!["data"]!["config.yaml"]!, StringComparison.Ordinal);
        app.AssertNoMissingSubsetEver();
        AssertNothingPoisoned();
    }

    private static JsonObject Filter(string name, int priority, JsonObject retries) => new()
    {
        ["apiVersion"] = "filter.service-mesh.zhihu.com/v1",
        ["kind"] = "IstioFilter",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
        ["spec"] = new JsonObject
        {
            ["targetRef"] = new JsonObject { ["name"] = "checkout" },
            ["priority"] = priority,
            ["selector"] = new JsonObject { ["branches"] = new JsonArray("master") },
            ["retries"] = retries,
        },
    };
}

using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>consul-events, dependency-events, poison messages and bad input.</summary>
public sealed class EventTests
{
    private static readonly Uri Source = new("/tests/discovery", UriKind.Relative);

    [Fact]
    public async Task ConsulEvents_NewService_GetsDefaultRouterThatIsNeverDeleted()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:ConsulRouterNamespace"] = "shop" });
        await app.AddHostAsync();

        await app.SendAsync(MeshEventQueues.ConsulEvents, Consul("c1", "payments", ConsulServiceChange.Appeared, 5));
        await app.RunUntilIdleAsync();
        await app.SendAsync(MeshEventQueues.ConsulEvents, Consul("c2", "payments", ConsulServiceChange.Disappeared, 9));
        await app.SendAsync(MeshEventQueues.ConsulEvents, Consul("c3", "Bad_Name", ConsulServiceChange.Appeared, 10));
        await app.RunUntilIdleAsync();

        var router = app.Get("routers", "shop", "payments");
        Assert.NotNull(router);
        Assert.Equal("9", (string?)router!["metadata"]!["annotations"]!["consul.meshfunctions.io/index"]);
        Assert.Equal(["default"], app.Subsets("shop", "payments--master"));
        Assert.Equal("True", app.Condition("Ready", "payments").Status);
        Assert.DoesNotContain(app.Api.Writes, w => w.Type.Plural == "routers" && w.Verb == KubeWriteVerb.Delete);
    }

    [Fact]
    public async Task ConsulEvents_SameEventFromTwoReplicasToTwoInstances_AppliedOnce()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:ConsulRouterNamespace"] = "shop" });
        await app.AddHostAsync(concurrency: 4);
        await app.AddHostAsync(concurrency: 4);

        // Discovery replicas publish the same change with the same deterministic id: each copy reaches the queue.
        for (var copy = 0; copy < 3; copy++)
        {
            await app.SendAsync(MeshEventQueues.ConsulEvents, Consul("consul-payments-7", "payments", ConsulServiceChange.Appeared, 7));
        }

        await app.RunUntilIdleAsync();
        var afterFirst = app.Api.Writes.Count;
        for (var copy = 0; copy < 2; copy++)
        {
            await app.SendAsync(MeshEventQueues.ConsulEvents, Consul("consul-payments-7", "payments", ConsulServiceChange.Appeared, 7));
        }

        await app.RunUntilIdleAsync();

        Assert.Single(app.Api.Writes, w => w.Type.Plural == "routers" && w.Verb == KubeWriteVerb.Create);
        Assert.Equal(afterFirst, app.Api.Writes.Count); // the later copies changed nothing at all
        Assert.Equal("7", (string?)app.Get("routers", "shop", "payments")!["metadata"]!["annotations"]!["consul.meshfunctions.io/index"]);
        Assert.Equal("True", app.Condition("Ready", "payments").Status);
        Assert.All(app.Hosts.SelectMany(h => h.Invocations), i => Assert.Equal(FunctionOutcome.Succeeded, i.Outcome));
    }

    [Fact]
    public async Task DependencyEvents_RepeatedDependency_AddsTheHostOnce()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();

        for (var i = 0; i < 3; i++)
        {
            await app.SendAsync(MeshEventQueues.DependencyEvents, Dependency("d" + i, "cart"));
        }

        await app.SendAsync(MeshEventQueues.DependencyEvents, Dependency("d9", "orders"));
        await app.RunUntilIdleAsync();

        var hosts = app.Get("sidecars", "shop", "web-egress")!["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => (string)h!).ToList();
        Assert.Equal(["./*", "billing/cart.billing.svc.cluster.local", "billing/orders.billing.svc.cluster.local", "istio-system/*"], hosts);
        Assert.Equal(2, app.Api.Writes.Count(w => w.Type.Plural == "sidecars"));
        Assert.Equal("web", (string?)app.Get("sidecars", "shop", "web-egress")!["spec"]!["workloadSelector"]!["labels"]!["app"]);
    }

    [Fact]
    public async Task DependencyEvents_PastTheBound_CollapseToNamespaces()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:MaxEgressHosts"] = "4" });
        await app.AddHostAsync();

        foreach (var target in (string[])["a", "b", "c", "d"])
        {
            await app.SendAsync(MeshEventQueues.DependencyEvents, Dependency("d-" + target, target));
        }

        await app.RunUntilIdleAsync();

        var hosts = app.Get("sidecars", "shop", "web-egress")!["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => (string)h!).ToList();
        Assert.Equal(["./*", "billing/*", "istio-system/*"], hosts);
    }

    [Fact]
    public async Task DeployEvents_ApiKeepsFailing_PoisonedAfterFiveAttemptsAndRouterSaysWhy()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:KubeRetryAttempts"] = "1" });
        var host = await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        app.Api.Faults.FailNext(1000, 500, new KubeRequestMatch("patch", "destinationrules"));

        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(2, DeployAction.Deployed, "v2"));
        await app.RunUntilIdleAsync();

        Assert.True(host.Invocations.Any(i => i.Outcome == FunctionOutcome.Poisoned), string.Join("\n", host.Invocations.Select(i => $"{i.Function} {i.MessageId} {i.DequeueCount} {i.Outcome} {i.Error?.GetType().Name}")));
        var poison = await app.Queues.GetQueueClient(MeshEventQueues.Poison(MeshEventQueues.DeployEvents)).ReceiveMessageAsync();
        Assert.NotNull(poison.Value);
        var degraded = app.Condition("Degraded");
        Assert.Equal(("True", "EventPoisoned"), (degraded.Status, degraded.Reason));
        Assert.Contains("deploy-checkout-2 failed for the last time", degraded.Message, StringComparison.Ordinal);

        // The API recovers: the next resync finishes the transition.
        app.Api.Faults.Clear();
        await host.FireTimerAsync("Resync");
        await app.RunUntilIdleAsync();
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
        app.AssertNoMissingSubsetEver();
    }

    [Fact]
    public async Task DeployEvents_InvalidWeights_RejectedOnTheRouterAndLaterEventsGoOn()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");

        await app.DeployAsync(2, DeployAction.Weighted, weights: new() { ["v1"] = 90 });

        var degraded = app.Condition("Degraded");
        Assert.Equal(("True", "InvalidDeployEvent"), (degraded.Status, degraded.Reason));
        Assert.Contains("sum to 100", degraded.Message, StringComparison.Ordinal);
        await app.DeployAsync(3, DeployAction.Deployed, "v2");
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
    }

    private static MeshEvent<ConsulServiceEvent> Consul(string id, string service, ConsulServiceChange change, ulong index) =>
        new(id, Source, MeshEventTypes.ConsulService, DateTimeOffset.UtcNow, service, new ConsulServiceEvent(service, "dc1", change, index, []));

    private static MeshEvent<DependencyEvent> Dependency(string id, string target) =>
        new(id, Source, MeshEventTypes.Dependency, DateTimeOffset.UtcNow, null, new DependencyEvent("shop", "web", "billing", target));
}

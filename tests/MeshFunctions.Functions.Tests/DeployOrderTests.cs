using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Deploy events that arrive ahead of a missing number wait on the Router (core's DeployOrdering), not in the queue;
/// the event that fills the gap applies them all in one Router write; a gap that never fills is given up by the resync.
/// </summary>
public sealed class DeployOrderTests
{
    private const string SequenceAnnotation = "deploy.meshfunctions.io/sequence";
    private const string ParkedAnnotation = "deploy.meshfunctions.io/parked";

    [Fact]
    public async Task DeployEvents_ArriveInReverse_ParkedOnTheRouterAndAppliedInOneWrite()
    {
        await using var app = await MeshApp.StartAsync();
        var host = await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");

        // One instance, one message at a time, in queue order: 4 and 3 come before 2.
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(4, DeployAction.Weighted, weights: new() { ["v1"] = 50, ["v2"] = 50 }));
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 }));
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(2, DeployAction.Deployed, "v2"));
        await app.RunUntilIdleAsync();

        // Each event was delivered once (nothing went back on the queue) and the Router's sequence went from 1 to 4 directly.
        Assert.Equal(4, host.Invocations.Count(i => i.Queue == MeshEventQueues.DeployEvents));
        Assert.All(host.Invocations, i => Assert.Equal(FunctionOutcome.Succeeded, i.Outcome));
        var sequences = app.Api.Writes.Where(w => w.Type.Plural == "routers")
            .Select(w => (string?)w.Object["metadata"]?["annotations"]?[SequenceAnnotation]).Distinct().ToList();
        Assert.Equal(["1", "4"], sequences);
        var router = app.Get("routers", "shop", "checkout")!;
        Assert.Null(router["metadata"]!["annotations"]![ParkedAnnotation]);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
        app.AssertNoMissingSubsetEver();

        // A late duplicate of a parked event changes nothing.
        var writes = app.Api.Writes.Count;
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 }));
        await app.RunUntilIdleAsync();
        Assert.Equal(writes, app.Api.Writes.Count);
    }

    [Fact]
    public async Task DeployEvents_GapNeverFills_ParkedUntilTheResyncGivesTheGapUp()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:DeployGapTimeout"] = "00:10:00" });
        var host = await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        await app.DeployAsync(2, DeployAction.Deployed, "v2");

        // 3 is lost; 4 waits on the Router.
        await app.DeployAsync(4, DeployAction.Weighted, weights: new() { ["v1"] = 50, ["v2"] = 50 });
        var router = app.Get("routers", "shop", "checkout")!;
        Assert.Equal("2", (string?)router["metadata"]!["annotations"]![SequenceAnnotation]);
        Assert.Contains("deploy-checkout-4", (string?)router["metadata"]!["annotations"]![ParkedAnnotation], StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
        Assert.Equal(3, host.Invocations.Count(i => i.Queue == MeshEventQueues.DeployEvents)); // none went back on the queue

        // An instance whose gap timeout is 1 s: once event 4 is older than that, its resync applies it.
        var impatient = await app.AddHostAsync(settings: new() { ["MeshFunctions:DeployGapTimeout"] = "00:00:01" });
        // Waits for the event (the sequence reaching 4); the token is only a hang guard.
        using var hang = new CancellationTokenSource(MeshApp.Patience);
        while ((string?)app.Get("routers", "shop", "checkout")!["metadata"]!["annotations"]![SequenceAnnotation] != "4")
        {
            await Task.Delay(200, hang.Token);
            await impatient.FireTimerAsync("Resync");
        }

        await app.RunUntilIdleAsync();
        Assert.Null(app.Get("routers", "shop", "checkout")!["metadata"]!["annotations"]![ParkedAnnotation]);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
        app.AssertNoMissingSubsetEver();
    }
}

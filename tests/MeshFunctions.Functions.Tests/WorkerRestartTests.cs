using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Functions.Host;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>The worker process dies mid-transition; the host stand-in restarts it as the Functions host does, and nothing is lost.</summary>
public sealed class WorkerRestartTests
{
    [Fact]
    public async Task DeployEvents_WorkerKilledMidTransition_RestartedWorkerFinishesItWithoutMissingSubsets()
    {
        await using var app = await MeshApp.StartAsync();
        await using var worker = await MeshWorker.StartAsync(app);
        await worker.DeployAsync(app, 1, DeployAction.Deployed, "v1");
        var firstWorker = worker.WorkerId;

        // Deploying v2 adds its subset first and routes only after the propagation wait (a delayed continuation):
        // the worker dies once the DestinationRule has the new subset.
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(2, DeployAction.Deployed, "v2"));
        await UntilAsync(() => app.Api.Writes.Any(w => w.Type.Plural == "destinationrules" && w.Verb != KubeWriteVerb.Delete
            && w.Object?["spec"]?["subsets"]?.AsArray().Any(s => (string?)s?["name"] == "v2") == true));
        await worker.KillWorkerAsync();
        await worker.IdleAsync();

        Assert.Equal(1, worker.WorkerRestarts);
        Assert.NotEqual(firstWorker, worker.WorkerId);
        Assert.False(worker.WorkerExited);
        Assert.Equal(["default", "v1", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
        Assert.Equal(("True", "InSync"), (app.Condition("Ready").Status, app.Condition("Ready").Reason));

        // The restarted worker serves the rest of the canary.
        await worker.DeployAsync(app, 3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 });
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }, app.MasterWeights());
        app.AssertNoMissingSubsetEver();
        Assert.DoesNotContain(worker.Invocations, i => i.Outcome is FunctionOutcome.Poisoned or FunctionOutcome.Undecodable);
    }

    [Fact]
    public async Task Worker_DiesMoreOftenThanMaxWorkerRestarts_HostGivesUpAndWaitingForIdleFails()
    {
        await using var app = await MeshApp.StartAsync();
        await using var worker = await FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions
        {
            AppDirectory = MeshWorker.AppDirectory,
            Settings = new Dictionary<string, string?>(app.Settings),
            MaxWorkerRestarts = 0,
        });

        await worker.KillWorkerAsync();
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));
        var failure = await Assert.ThrowsAsync<FunctionsHostException>(() => worker.IdleAsync());

        Assert.Contains("MaxWorkerRestarts = 0", failure.Message, StringComparison.Ordinal);
        Assert.True(worker.WorkerExited);
        Assert.Equal(0, worker.WorkerRestarts);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(MeshApp.Patience);
        while (!condition())
        {
            await Task.Delay(20, guard.Token);
        }
    }
}

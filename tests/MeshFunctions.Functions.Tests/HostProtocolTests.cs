using System.Text.Json;
using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Functions.Host;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// The built app as its own process, started and driven over the Functions host's gRPC protocol by the test kit's host
/// stand-in, on a real Azurite and the Kubernetes API stand-in: Program.cs, the worker's middleware, converters and
/// FunctionContext run as in production.
/// </summary>
public sealed class HostProtocolTests
{
    [Fact]
    public async Task Start_WorkerHandshake_IndexesTheFunctionsTheSdkGenerated()
    {
        await using var app = await MeshApp.StartAsync();
        await using var worker = await MeshWorker.StartAsync(app);

        // The worker's own indexing (source-generated) against the SDK's functions.metadata, an independent output of the build.
        using var generated = JsonDocument.Parse(File.ReadAllText(Path.Combine(MeshWorker.AppDirectory, "functions.metadata")));
        var expected = generated.RootElement.EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, EntryPoint: f.GetProperty("entryPoint").GetString()!,
                Trigger: f.GetProperty("bindings").EnumerateArray().Select(b => (b.GetProperty("type").GetString(), b.TryGetProperty("queueName", out var q) ? q.GetString() : null)).Single()))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var indexed = worker.Functions
            .Select(f => (f.Name, f.EntryPoint, Trigger: (f.Trigger?.Type, f.Trigger?.Property("queueName"))))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, indexed);
        Assert.Equal(["ConsulEvents", "DependencyEvents", "DeployEvents", "MeshConfigEvents", "Resync"], indexed.Select(f => f.Name));
        Assert.All(worker.Functions, f => Assert.False(string.IsNullOrEmpty(f.FunctionId)));
        Assert.Equal("true", worker.WorkerCapabilities.GetValueOrDefault("HandlesWorkerTerminateMessage"), StringComparer.OrdinalIgnoreCase);

        // Queue semantics from the app's host.json (the retry delay overridden by an app setting, as the host allows).
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(MeshWorker.AppDirectory, "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(queues.GetProperty("maxDequeueCount").GetInt32(), worker.QueueSettings.MaxDequeueCount);
        Assert.Equal(queues.GetProperty("batchSize").GetInt32(), worker.QueueSettings.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(1), worker.QueueSettings.VisibilityTimeout);
        Assert.True(worker.QueueSettings.Base64);
    }

    [Fact]
    public async Task DeployEvents_CanaryThroughTheWorkerProcess_ShiftsWeightsAndRetiresV1WithoutMissingSubsets()
    {
        await using var app = await MeshApp.StartAsync();
        await using var worker = await MeshWorker.StartAsync(app);

        Task DeployAsync(long sequence, DeployAction action, string? version = null, Dictionary<string, int>? weights = null) =>
            worker.DeployAsync(app, sequence, action, version, weights);

        await DeployAsync(1, DeployAction.Deployed, "v1");
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        await DeployAsync(2, DeployAction.Deployed, "v2");
        Assert.Equal(["default", "v1", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
        await DeployAsync(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 });
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }, app.MasterWeights());
        await DeployAsync(4, DeployAction.Weighted, weights: new() { ["v1"] = 50, ["v2"] = 50 });
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }, app.MasterWeights());
        await DeployAsync(5, DeployAction.Promoted, "v2");
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 100 }, app.MasterWeights());
        await DeployAsync(6, DeployAction.Deleted, "v1");

        Assert.Equal(new Dictionary<string, int> { ["v2"] = 100 }, app.MasterWeights());
        Assert.Equal(["default", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(("True", "InSync"), (app.Condition("Ready").Status, app.Condition("Ready").Reason));
        Assert.Equal("False", app.Condition("Progressing").Status);
        app.AssertNoMissingSubsetEver();
        // Invocations run concurrently here (batchSize/newBatchThreshold), so a transient retry is allowed; a lost event is not.
        Assert.DoesNotContain(worker.Invocations, i => i.Outcome is FunctionOutcome.Poisoned or FunctionOutcome.Undecodable);
        Assert.True(worker.Invocations.Count(i => i is { Function: "DeployEvents", Outcome: FunctionOutcome.Succeeded }) >= 6);
    }

    [Fact]
    public async Task DeployEvents_ApiKeepsFailing_PoisonedAfterHostJsonMaxDequeueCountAndTimerHeals()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:KubeRetryAttempts"] = "1" });
        await using var worker = await MeshWorker.StartAsync(app);
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));
        await worker.IdleAsync();
        app.Api.Faults.FailNext(1000, 500, new KubeRequestMatch("patch", "destinationrules"));

        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(2, DeployAction.Deployed, "v2"));
        var run = await worker.WaitForInvocationsAsync(all => all.Any(i => i.Outcome == FunctionOutcome.Poisoned), MeshApp.Patience);

        // One message, delivered maxDequeueCount times (host.json), each attempt a Failure from the worker.
        var poisoned = run.Single(i => i.Outcome == FunctionOutcome.Poisoned);
        var deliveries = run.Where(i => i.MessageId == poisoned.MessageId).ToList();
        Assert.Equal(worker.QueueSettings.MaxDequeueCount, deliveries.Count);
        Assert.Equal(Enumerable.Range(1, worker.QueueSettings.MaxDequeueCount).Select(n => (long)n), deliveries.Select(i => i.DequeueCount));
        Assert.All(deliveries, d => Assert.IsType<WorkerInvocationException>(d.Error));
        var poison = await app.Queues.GetQueueClient(MeshEventQueues.Poison(MeshEventQueues.DeployEvents)).ReceiveMessageAsync();
        Assert.NotNull(poison.Value);
        Assert.Equal("deploy-checkout-2", MeshEventCodec.Decode<DeployEvent>(poison.Value.Body.ToMemory(), MeshEventTypes.Deploy).Id);

        // The app saw DequeueCount through the trigger metadata: on the last attempt the Router says why.
        var degraded = app.Condition("Degraded");
        Assert.Equal(("True", "EventPoisoned"), (degraded.Status, degraded.Reason));

        // The API recovers; the timer trigger (TimerInfo over the protocol) finishes the transition.
        app.Api.Faults.Clear();
        var resync = await worker.FireTimerAsync("Resync");
        await worker.IdleAsync();
        Assert.Equal(FunctionOutcome.Succeeded, resync.Outcome);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
        app.AssertNoMissingSubsetEver();
    }

    [Fact]
    public async Task DeployEvents_MalformedAndUndecodableMessages_PoisonedAndTheWorkerKeepsServing()
    {
        await using var app = await MeshApp.StartAsync();
        await using var worker = await MeshWorker.StartAsync(app);
        var queue = app.Queues.GetQueueClient(MeshEventQueues.DeployEvents);

        await queue.SendMessageAsync("{\"specversion\": \"1.0\", \"type\": ");             // base64 by the client, not an event
        await new Azure.Storage.Queues.QueueClient(app.Azurite.ConnectionString, MeshEventQueues.DeployEvents,
            TestKit.Processes.AzuriteServer.ClientOptions(Azure.Storage.Queues.QueueMessageEncoding.None)).SendMessageAsync("not base64 at all!");
        var run = await worker.WaitForInvocationsAsync(
            all => all.Any(i => i.Outcome == FunctionOutcome.Poisoned) && all.Any(i => i.Outcome == FunctionOutcome.Undecodable), MeshApp.Patience);

        var malformed = run.Where(i => i.Outcome is FunctionOutcome.Retried or FunctionOutcome.Poisoned).ToList();
        Assert.Equal(worker.QueueSettings.MaxDequeueCount, malformed.Count);
        Assert.All(malformed, i => Assert.Contains("MeshEventFormatException", ((WorkerInvocationException)i.Error!).ExceptionType, StringComparison.Ordinal));
        Assert.False(worker.WorkerExited);

        // The same worker process goes on serving.
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));
        await worker.IdleAsync();
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        var poisonQueue = app.Queues.GetQueueClient(MeshEventQueues.Poison(MeshEventQueues.DeployEvents));
        Assert.Equal(2, (await poisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Stop_WorkerTerminate_ProcessExitsCleanlyAndTheAppsLogsArrived()
    {
        await using var app = await MeshApp.StartAsync();
        var worker = await MeshWorker.StartAsync(app);
        await using (worker)
        {
            await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));
            await worker.IdleAsync();

            var exitCode = await worker.StopAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, exitCode);
            Assert.True(worker.WorkerExited);
            // The app's ILogger output came over the stream as RpcLog, tied to its invocation.
            Assert.Contains(worker.Logs, l => l.Category.StartsWith("MeshFunctions.Functions.", StringComparison.Ordinal) && l.InvocationId.Length > 0
                && l.Message.Contains("Router shop/checkout", StringComparison.Ordinal));
        }
    }
}

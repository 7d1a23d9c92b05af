using System.Text.Json.Nodes;
using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Faults ("Prove it"): 409 storms, an Azurite restart between phases, an instance killed while it holds a Router's
/// transition lease. Each run ends where a fault-free run of the same events ends, with exactly the same ordered
/// VirtualService/DestinationRule writes (nothing lost, nothing applied twice), the invariant held over every write,
/// and a Router status that says Ready.
/// </summary>
public sealed class FaultTests
{
    private static readonly (DeployAction Action, string? Version, Dictionary<string, int>? Weights)[] Canary = MeshApp.Canary;

    [Fact]
    public async Task DeployEvents_409StormOnEveryWrite_SameWritesAsAFaultFreeRun()
    {
        var reference = await ReferenceWritesAsync(Canary.Length);
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();

        for (var i = 0; i < Canary.Length; i++)
        {
            // Each event meets a storm on the Router (spec and status), the Istio objects and the Sidecars.
            foreach (var (verb, plural) in new[] { ("update", "routers"), ("patch", "routers"), ("patch", "virtualservices"), ("patch", "destinationrules"), ("create", "destinationrules"), ("patch", "sidecars") })
            {
                app.Api.Faults.ConflictNext(3, new KubeRequestMatch(verb, plural));
            }

            await SendAsync(app, i);
            await app.RunUntilIdleAsync();
        }

        Assert.True(app.Api.Faults.InjectedConflicts > Canary.Length * 3, $"only {app.Api.Faults.InjectedConflicts} conflicts were served");
        AssertConverged(app, reference, new() { ["v2"] = 100 });
    }

    [Fact]
    public async Task DeployEvents_AzuriteRestartsWhileAContinuationWaits_NothingLost()
    {
        var reference = await ReferenceWritesAsync(3);
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:PropagationDelay"] = "00:00:05" }, persistentQueues: true);
        var host = await app.AddHostAsync();
        await SendAsync(app, 0);
        await app.RunUntilIdleAsync();

        // Deploy v2: the first phase (DestinationRule gets the subset) is applied, then its continuation waits 5 s in the
        // queue; the instance stops polling there. Event 3 is queued too. Azurite restarts with both in it.
        await SendAsync(app, 1);
        using var stop = new CancellationTokenSource();
        var run = host.RunUntilIdleAsync(MeshApp.Patience, stop.Token);
        await WaitForAsync(() => DeployCount(host) == 2 ? (object)true : null, "event 2's first phase");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(["default", "v1", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        await SendAsync(app, 2);

        await app.Azurite.RestartKeepingDataAsync();
        await app.RunUntilIdleAsync();

        // Event 3 arrived while the transition waited, so the continuation went straight to 90/10 (coalesced): the writes
        // are the fault-free run's, in order, minus the skipped intermediate VirtualService.
        AssertConverged(app, reference, new() { ["v1"] = 90, ["v2"] = 10 }, coalesced: true);
    }

    [Fact]
    public async Task DeployEvent_InstanceKilledHoldingTheLease_SecondInstanceTakesOverAfterExpiry()
    {
        var reference = await ReferenceWritesAsync(3);
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:LeaseDuration"] = "00:00:03" });
        var doomed = await app.AddHostAsync();
        await SendAsync(app, 0);
        await app.RunUntilIdleAsync();
        await SendAsync(app, 1);
        await app.RunUntilIdleAsync();

        // The weight change is one phase without a wait: the instance claims the lease, then its VirtualService patch
        // hangs in the API server until the instance dies.
        app.Api.Faults.AddLatency(TimeSpan.FromMinutes(10), new KubeRequestMatch("patch", "virtualservices"));
        await SendAsync(app, 2);
        var run = doomed.RunUntilIdleAsync(MeshApp.Patience);
        var claim = await WaitForAsync(() => Lease(app) is { } t && (string?)t["origin"] == "deploy-checkout-3" ? t : null, "the lease claim of event 3");
        await app.StopHostAsync(doomed);
        await Record.ExceptionAsync(() => run); // the dying instance's loop ends either way: cancelled, or with the message released
        Assert.Equal("True", app.Condition("Progressing").Status);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());

        app.Api.Faults.Clear();
        var survivor = await app.AddHostAsync();
        var until = DateTimeOffset.Parse((string)claim["leaseUntil"]!, System.Globalization.CultureInfo.InvariantCulture);
        await WaitForAsync(() => DateTimeOffset.UtcNow > until ? (object)true : null, "lease expiry");
        Assert.Equal("True", app.Condition("Progressing").Status);
        await survivor.FireTimerAsync("Resync");
        await app.RunUntilIdleAsync();

        AssertConverged(app, reference, new() { ["v1"] = 90, ["v2"] = 10 });
    }

    private static int DeployCount(TestKit.Functions.FunctionsHost host) =>
        host.Invocations.Count(i => i.Queue == MeshEventQueues.DeployEvents && i.Outcome == TestKit.Functions.FunctionOutcome.Succeeded);

    private static JsonObject? Lease(MeshApp app) => app.Get("routers", "shop", "checkout")?["status"]?["transition"] as JsonObject;

    private static Task SendAsync(MeshApp app, int index, TimeSpan? delay = null)
    {
        var (action, version, weights) = Canary[index];
        return app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(index + 1, action, version, weights), delay);
    }

    /// <summary>The ordered VirtualService/DestinationRule writes of a fault-free, one-instance run of the first events.</summary>
    private static async Task<List<string>> ReferenceWritesAsync(int events)
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();
        for (var i = 0; i < events; i++)
        {
            await SendAsync(app, i);
            await app.RunUntilIdleAsync();
        }

        return IstioWrites(app);
    }

    private static List<string> IstioWrites(MeshApp app) =>
        [.. app.Api.Writes.Where(w => w.Type.Plural is "virtualservices" or "destinationrules")
            .Select(w => $"{w.Verb} {w.Type.Plural} {w.Name} {w.Object["spec"]?.ToJsonString()}")];

    private static void AssertConverged(MeshApp app, List<string> reference, Dictionary<string, int> weights, bool coalesced = false)
    {
        Assert.Equal(weights, app.MasterWeights());
        var writes = IstioWrites(app);
        if (coalesced)
        {
            // An ordered subsequence of the reference ending where it ends; nothing written twice.
            var next = 0;
            Assert.All(writes, w => next = reference.IndexOf(w, next) is var at and >= 0 ? at + 1 : throw new Xunit.Sdk.XunitException($"not in the reference (or out of order): {w}"));
            Assert.Equal(reference[^1], writes[^1]);
            Assert.Equal(writes.Count, writes.Distinct().Count());
        }
        else
        {
            Assert.Equal(reference, writes);
        }

        Assert.Equal(("True", "InSync"), (app.Condition("Ready").Status, app.Condition("Ready").Reason));
        Assert.Equal("False", app.Condition("Progressing").Status);
        app.AssertNoMissingSubsetEver();
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        using var patience = new CancellationTokenSource(MeshApp.Patience);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(20, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {MeshApp.Patience}");
            }
        }
    }
}

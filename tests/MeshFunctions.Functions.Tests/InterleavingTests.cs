using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Property: however deploy events are duplicated, delayed and reordered, and with two instances consuming at once,
/// the Routers end where the in-order sequence takes them, and no write ever routes to a missing subset.
/// </summary>
public sealed class InterleavingTests
{
    private static readonly (DeployAction Action, string? Version, Dictionary<string, int>? Weights)[] Canary = MeshApp.Canary;

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public async Task DeployEvents_ShuffledDuplicatedDelayed_TwoInstances_ConvergeToInOrderResult(int seed, bool faults)
    {
        var random = new Random(seed);
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync(concurrency: 4);
        await app.AddHostAsync(concurrency: 4);
        if (faults)
        {
            app.Api.Faults.FailNext(15, 500, new KubeRequestMatch("patch", "virtualservices"));
            app.Api.Faults.FailNext(15, 429, new KubeRequestMatch("list"));
            app.Api.Faults.FailNext(10, 503, new KubeRequestMatch("update", "routers"));
        }

        var sends = new List<(string Service, int Sequence)>();
        foreach (var service in (string[])["checkout", "cart"])
        {
            for (var i = 0; i < Canary.Length; i++)
            {
                for (var copies = random.Next(1, 3); copies > 0; copies--)
                {
                    sends.Add((service, i + 1));
                }
            }
        }

        foreach (var (service, sequence) in sends.OrderBy(_ => random.Next()))
        {
            var (action, version, weights) = Canary[sequence - 1];
            var delay = TimeSpan.FromSeconds(random.Next(0, 3));
            await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(sequence, action, version, weights, service: service), delay);
        }

        await app.RunUntilIdleAsync();
        if (faults)
        {
            // A message that failed five times went to the poison queue (its Router said why); the timer resync is the
            // backstop that finishes such a transition once the API server behaves. Faults left unused by the run (how
            // many are consumed depends on timing) would fail the resync's own phase too, so the API server heals first.
            app.Api.Faults.Clear();
            await app.Hosts[0].FireTimerAsync("Resync");
            await app.RunUntilIdleAsync();
        }

        foreach (var service in (string[])["checkout", "cart"])
        {
            var why = string.Join("\n", app.Hosts.SelectMany(h => h.Invocations).Where(i => i.Outcome != TestKit.Functions.FunctionOutcome.Succeeded).Select(i => $"{i.Function} {i.DequeueCount} {i.Outcome} {i.Error?.Message}"))
                + "\n" + app.Get("routers", "shop", service)!["status"]!.ToJsonString();
            Assert.True(app.MasterWeights(service).SequenceEqual(new Dictionary<string, int> { ["v2"] = 100 }), why);
            Assert.Equal(["default", "v2"], app.Subsets("shop", service + "--master"));
            Assert.Equal("True", app.Condition("Ready", service).Status);
            Assert.Equal("6", (string?)app.Get("routers", "shop", service)!["metadata"]!["annotations"]!["deploy.meshfunctions.io/sequence"]);
        }

        app.AssertNoMissingSubsetEver();
    }

    [Fact]
    public async Task DeployEvents_InstanceStopsDuringTheWait_TheOtherFinishesTheTransition()
    {
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:PropagationDelay"] = "00:00:03" });
        var first = await app.AddHostAsync();
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));

        // The first instance runs the first phase (Services and DestinationRule) and leaves the wait to a continuation.
        while (!app.Api.Writes.Any(w => w.Type.Plural == "destinationrules"))
        {
            await first.RunUntilIdleAsync(TimeSpan.FromMilliseconds(1)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await app.StopHostAsync(first);
        Assert.Null(app.Get("virtualservices", "shop", "checkout"));
        var second = await app.AddHostAsync();
        await second.RunUntilIdleAsync(MeshApp.Patience);

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
        app.AssertNoMissingSubsetEver();
    }
}

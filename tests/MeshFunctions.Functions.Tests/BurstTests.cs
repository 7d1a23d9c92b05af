using System.Diagnostics;
using System.Globalization;
using MeshFunctions.Core.Events;
using Xunit.Abstractions;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Load: N Routers and a burst of up to 5·N deploy events (MF_FUNCTIONS_BURST_EVENTS, default 5·N: deploy v1, deploy v2, 90/10, 50/50, promote v2) enqueued at once,
/// two instances consuming. Reports events/s, time to converge, and VirtualService/DestinationRule writes per Router
/// per applied phase (goal ≤ 1 each). The numbers go to tests/bench/README.md.
/// </summary>
public sealed class BurstTests(ITestOutputHelper output)
{
    private static readonly (DeployAction Action, string? Version, Dictionary<string, int>? Weights)[] Events =
    [
        (DeployAction.Deployed, "v1", null),
        (DeployAction.Deployed, "v2", null),
        (DeployAction.Weighted, null, new() { ["v1"] = 90, ["v2"] = 10 }),
        (DeployAction.Weighted, null, new() { ["v1"] = 50, ["v2"] = 50 }),
        (DeployAction.Promoted, "v2", null),
    ];

    [BurstFact]
    public async Task DeployEvents_Burst_ConvergesWithAtMostOneIstioWritePerPhase()
    {
        var routers = int.Parse(Environment.GetEnvironmentVariable("MF_FUNCTIONS_BURST")!, CultureInfo.InvariantCulture);
        var events = Environment.GetEnvironmentVariable("MF_FUNCTIONS_BURST_EVENTS") is { Length: > 0 } total ? int.Parse(total, CultureInfo.InvariantCulture) : routers * Events.Length;
        Assert.True(events % routers == 0 && events / routers is >= 1 and <= 5, $"MF_FUNCTIONS_BURST_EVENTS must be 1 to 5 times the Routers ({routers}), got {events}");
        var perRouter = events / routers;
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync(concurrency: 8);
        await app.AddHostAsync(concurrency: 8);
        var queue = app.Queues.GetQueueClient(MeshEventQueues.DeployEvents);
        var enqueue = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, routers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (r, token) =>
        {
            for (var i = 0; i < perRouter; i++)
            {
                var (action, version, weights) = Events[i];
                var meshEvent = MeshApp.Deploy(i + 1, action, version, weights, service: "svc-" + r.ToString(CultureInfo.InvariantCulture));
                await queue.SendMessageAsync(BinaryData.FromBytes(MeshEventCodec.Encode(meshEvent)), cancellationToken: token);
            }
        });
        enqueue.Stop();

        var metricsBefore = app.Api.Metrics;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var converge = Stopwatch.StartNew();
        using var stopProgress = new CancellationTokenSource();
        var progress = ReportProgressAsync(app, converge, stopProgress.Token);
        // Hang guard (MF_FUNCTIONS_BURST_TIMEOUT, hh:mm:ss, default 1 h): the full size takes long on a loaded machine.
        var guard = Environment.GetEnvironmentVariable("MF_FUNCTIONS_BURST_TIMEOUT") is { Length: > 0 } limit ? TimeSpan.Parse(limit, CultureInfo.InvariantCulture) : TimeSpan.FromHours(1);
        await Task.WhenAll(app.Hosts.Select(h => h.RunUntilIdleAsync(guard)));
        await app.Hosts[0].RunUntilIdleAsync(guard);
        converge.Stop();
        await stopProgress.CancelAsync();
        await progress;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var served = app.Api.Metrics.Since(metricsBefore);

        var writes = app.Api.Writes;
        var vs = writes.Count(w => w.Type.Plural == "virtualservices");
        var dr = writes.Count(w => w.Type.Plural == "destinationrules");
        var phases = writes.Where(w => w.Type.Plural == "routers" && w.Object["status"]?["transition"]?["step"] is not null)
            .Select(w => ((string)w.Object["metadata"]!["name"]!, (string?)w.Object["status"]!["transition"]!["id"], (long?)w.Object["status"]!["transition"]!["step"]))
            .Distinct()
            .Count();
        output.WriteLine($"routers {routers}, events {events}, enqueue {enqueue.Elapsed.TotalSeconds:0.0} s, converge {converge.Elapsed.TotalSeconds:0.0} s, "
            + $"{events / converge.Elapsed.TotalSeconds:0.0} events/s; phases {phases}; VS writes {vs} ({(double)vs / phases:0.00}/phase, {(double)vs / routers:0.00}/Router); "
            + $"DR writes {dr} ({(double)dr / phases:0.00}/phase, {(double)dr / routers:0.00}/Router); all writes {writes.Count}");
        output.WriteLine($"API requests while consuming: {served}; per event: {(double)served.Count("list") / events:0.00} lists, "
            + $"{(double)served.ListEvaluatedObjects / events:0} objects evaluated, {(double)served.Count("get") / events:0.00} gets, {served.Count("watch")} watches; "
            + $"test process CPU {cpu.TotalSeconds:0.0} s ({cpu.TotalMilliseconds / events:0.0} ms/event: consumers and API stand-in; Azurite runs apart)");
        // How often the queues were asked to deliver: deploy deliveries above the events are events that cycled back.
        var deliveries = app.Hosts.SelectMany(h => h.Invocations).GroupBy(i => (i.Queue, i.Outcome)).OrderBy(g => g.Key.Queue, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.Queue} {g.Key.Outcome} {g.Count()}"));
        output.WriteLine($"deliveries: {string.Join(", ", deliveries)}; receive requests {app.Hosts.Sum(h => h.Polls)}, of them empty {app.Hosts.Sum(h => h.EmptyPolls)}");
        var expected = perRouter switch
        {
            1 => new Dictionary<string, int> { ["v1"] = 100 },
            2 => new() { ["v1"] = 100, ["v2"] = 0 },
            3 => new() { ["v1"] = 90, ["v2"] = 10 },
            4 => new() { ["v1"] = 50, ["v2"] = 50 },
            _ => new() { ["v1"] = 0, ["v2"] = 100 },
        };
        for (var r = 0; r < routers; r += Math.Max(1, routers / 20))
        {
            Assert.Equal(expected, app.MasterWeights("svc-" + r.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.True(vs <= phases && dr <= phases, $"VS writes {vs}, DR writes {dr}, phases {phases}");
        var check = Stopwatch.StartNew();
        app.AssertNoMissingSubsetEver(family: w => w.Name.Split("--")[0]);
        output.WriteLine($"write-log replay {check.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// With MF_FUNCTIONS_BURST_PROGRESS=path, appends a line every 30 s while the burst is consumed (elapsed, deploy events
    /// still queued, writes so far, this process's CPU, load average), so a run too long to wait for still yields a rate.
    /// </summary>
    private static async Task ReportProgressAsync(MeshApp app, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("MF_FUNCTIONS_BURST_PROGRESS") is not { Length: > 0 } path)
        {
            return;
        }

        var queue = app.Queues.GetQueueClient(MeshEventQueues.DeployEvents);
        try
        {
            while (true)
            {
                var queued = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
                var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim() : "?";
                await File.AppendAllTextAsync(path, string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed.TotalSeconds:0} s: deploy-events queued {queued}, writes {app.Api.ResourceVersion}, cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s, load {load}\n"), cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The burst has converged.
        }
    }
}

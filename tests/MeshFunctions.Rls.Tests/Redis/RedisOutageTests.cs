using System.Collections.Concurrent;
using System.Net;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using MeshFunctions.Rls.Tests.Infrastructure;
using MeshFunctions.TestKit.Processes;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// Redis killed and restarted under load: every call is still answered (no gRPC error), with the
/// configured failure mode while Redis is away, and counting resumes when it is back. Bounds are
/// deliberately generous; latency belongs to the benchmark.
/// </summary>
public sealed class RedisOutageTests
{
    private const string Yaml = """
        domain: outage
        descriptors:
          - key: generous
            rate_limit: {unit: hour, requests_per_unit: 1000000}
          - key: banned
            rate_limit: {unit: hour, requests_per_unit: 0}
          - key: small
            rate_limit: {unit: hour, requests_per_unit: 3}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Open", Code.Ok, Code.Ok)]
    [InlineData("Closed", Code.OverLimit, Code.OverLimit)]
    public async Task RedisKilledAndRestarted_UnderLoad_FailureModeThenRecovery(string mode, Code generousWhileDown, Code bannedWhileDown)
    {
        await using var redis = await RedisServer.StartAsync();
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["outage.yaml"] = Yaml });
        await using var host = await RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = redis.Endpoint,
            ["Rls:FailureMode"] = mode,
            ["Rls:RedisTimeout"] = "00:00:00.100",

            // The local over-limit cache would keep answering the banned key OVER_LIMIT while Redis is away
            // (exact, and what envoyproxy/ratelimit's cache does); this test is about the failure mode.
            ["Rls:RedisOverLimitCache"] = "false",
        });

        var answers = new ConcurrentQueue<(Code Generous, Code Banned)>();
        var errors = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var request = Request("outage", Descriptor(("generous", "g")), Descriptor(("banned", "b")));
        var load = StartLoad(host, request, errors, stop.Token, response =>
        {
            if (response is not null)
            {
                answers.Enqueue((response.Statuses[0].Code, response.Statuses[1].Code));
            }
        });

        // Healthy Redis: the banned key is over its limit, the generous one is not. (The first calls may
        // still time out while a loaded machine warms up, so wait for the normal answers.)
        await WaitUntilAsync(() => answers.Count(a => a == (Code.Ok, Code.OverLimit)) > 20);

        await redis.KillAsync();
        answers.Clear();
        await WaitUntilAsync(() => answers.Count(a => a == (generousWhileDown, bannedWhileDown) && a != (Code.Ok, Code.OverLimit)) > 50);
        await WaitUntilAsync(async () => (await host.Http.GetAsync("/healthz")).StatusCode == HttpStatusCode.ServiceUnavailable);

        await redis.RestartAsync();
        answers.Clear();
        await WaitUntilAsync(() => answers.Count(a => a == (Code.Ok, Code.OverLimit)) > 20);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(errors); // every call answered within its 10 s deadline; how fast belongs to the benchmark

        // Counting resumed: a fresh key admits exactly its limit.
        await AssertCountingResumedAsync(host);
        await WaitUntilAsync(async () => (await host.Http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK);
        Assert.Contains("rls_should_rate_limit_error_total{err_type=\"redis_error\"}", await host.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisHung_UnderLoad_FailsFastAfterFirstTimeoutThenRecovers()
    {
        await using var redis = await RedisServer.StartAsync();
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["outage.yaml"] = Yaml });
        const int TimeoutMs = 500;
        await using var host = await RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = redis.Endpoint,
            ["Rls:FailureMode"] = "Closed",
            ["Rls:RedisTimeout"] = $"00:00:00.{TimeoutMs}",
            ["Rls:RedisOverLimitCache"] = "false",
        });

        // Each answer: the generous key's code.
        var answers = new ConcurrentQueue<Code>();
        var errors = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var request = Request("outage", Descriptor(("generous", "g")));
        var load = StartLoad(host, request, errors, stop.Token, response =>
        {
            if (response is not null)
            {
                answers.Enqueue(response.Statuses[0].Code);
            }
        });

        await WaitUntilAsync(() => answers.Count(a => a == Code.Ok) > 20);

        // Hung: the connection stays open and nothing is answered. Only the calls already waiting when it hung
        // wait for the timeout; after the first timeout the rest get the failure mode (Closed) at once. Counted by
        // the service (a call that waited the whole timeout), not timed here: at load 20+ a quick answer can be slow.
        var timeoutsBefore = await MetricAsync(host, "rls_redis_timeouts_total");
        redis.Pause();
        answers.Clear();
        await WaitUntilAsync(() => answers.Count(a => a == Code.OverLimit) > 200);
        var waited = await MetricAsync(host, "rls_redis_timeouts_total") - timeoutsBefore;
        Assert.InRange(waited, 1, 8); // four callers: at most four calls in flight when it hung (slack for a load-slowed call just before)
        Assert.Contains("rls_redis_stalled_calls_total", await host.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        using (var health = await host.Http.GetAsync("/healthz"))
        {
            // A stall alone does not fail readiness (it is often a passing hiccup), but it shows.
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        }

        // Resumed: Redis answers the held call, the gate opens, counting resumes.
        redis.Resume();
        answers.Clear();
        await WaitUntilAsync(() => answers.Count(a => a == Code.Ok) > 20);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(errors);
        await AssertCountingResumedAsync(host);
    }

    /// <summary>Four callers, each calling in a loop until <paramref name="stop"/>; every call is reported (response null on a gRPC error).</summary>
    private static List<Task> StartLoad(RlsHost host, RateLimitRequest request, ConcurrentQueue<Exception> errors, CancellationToken stop, Action<RateLimitResponse?> onCall) =>
        Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                RateLimitResponse? response = null;
                try
                {
                    response = await host.Client.ShouldRateLimitAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
                }
                catch (RpcException ex)
                {
                    errors.Enqueue(ex);
                }

                onCall(response);
                await Task.Delay(2);
            }
        })).ToList();

    /// <summary>Counting works again: a fresh key with a limit of 3 admits exactly 3 calls.</summary>
    private static async Task AssertCountingResumedAsync(RlsHost host)
    {
        var codes = new List<Code>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await host.Client.ShouldRateLimitAsync(Request("outage", ("small", "s")))).OverallCode);
        }

        Assert.Equal([Code.Ok, Code.Ok, Code.Ok, Code.OverLimit], codes);
    }

    /// <summary>The value of an unlabelled counter on <c>/metrics</c> (0 before its first increment).</summary>
    private static async Task<double> MetricAsync(RlsHost host, string name)
    {
        var text = await host.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"condition not reached within {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}

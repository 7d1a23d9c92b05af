using MeshFunctions.Rls.Tests.Infrastructure;
using MeshFunctions.TestKit.Processes;
using Microsoft.Extensions.Time.Testing;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// A real Redis Sentinel setup (master, replica, three sentinels) configured the reference's way
/// (<c>REDIS_TYPE=SENTINEL</c>, <c>REDIS_URL=mastername,sentinel1,…</c>): exact counting across two service instances, and
/// the master killed under load — the failure mode meanwhile, the replica promoted, exact counting again afterwards.
/// </summary>
public sealed class RedisSentinelTests : IAsyncLifetime
{
    private const string Yaml = """
        domain: se
        descriptors:
          - key: shared
            rate_limit: {unit: minute, requests_per_unit: 25}
          - key: d
            rate_limit: {unit: hour, requests_per_unit: 1000000}
          - key: small
            rate_limit: {unit: hour, requests_per_unit: 3}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["se.yaml"] = Yaml });
    private RedisSentinel _sentinel = null!;

    public async Task InitializeAsync() => _sentinel = await RedisSentinel.StartAsync();

    public async Task DisposeAsync()
    {
        await _sentinel.DisposeAsync();
        _config.Dispose();
    }

    private Task<RlsHost> StartHostAsync(params (string Key, string Value)[] extra) => StartHostAsync(null, extra);

    private Task<RlsHost> StartHostAsync(TimeProvider? time, params (string Key, string Value)[] extra)
    {
        var reference = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["REDIS_TYPE"] = "SENTINEL",
            ["REDIS_URL"] = _sentinel.ReferenceUrl,
        });
        Assert.Empty(reference.Errors);
        var settings = new Dictionary<string, string?>(reference.Settings) { ["Rls:RedisTimeout"] = "00:00:05" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return RlsHost.StartAsync(_config.Path, settings, time);
    }

    [Fact]
    public async Task TwoInstances_ConcurrentClients_AdmitExactlyTheLimit()
    {
        // The limit counts per minute: on the real clock a run straddling a minute boundary would admit up to twice the
        // limit. Both instances share one clock stopped mid-minute, so every call lands in the same window.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 30, TimeSpan.Zero));
        await using var first = await StartHostAsync(clock);
        await using var second = await StartHostAsync(clock);
        RlsHost[] hosts = [first, second];
        var admitted = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            while (Interlocked.Increment(ref next) < 70)
            {
                var response = await hosts[w % 2].Client.ShouldRateLimitAsync(Request("se", ("shared", "x")));
                if (response.OverallCode == Code.Ok)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        }));

        Assert.Equal(25, admitted);
    }

    [Fact]
    public async Task MasterKilledUnderLoad_FailureModeThenReplicaPromotedAndCountingResumes()
    {
        await using var host = await StartHostAsync(("Rls:FailureMode", "Closed"), ("Rls:RedisTimeout", "00:00:00.500"), ("Rls:BreakerBreakDuration", "00:00:00.500"));
        var probe = Request("se", ("d", "probe"));
        Assert.Equal(Code.Ok, (await host.Client.ShouldRateLimitAsync(probe)).OverallCode);

        // Load runs while the master dies; every call must still be answered (never a gRPC error).
        using var guard = new CancellationTokenSource(Patience);
        var sawFailureMode = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answeredAfterPromotion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var promoted = 0;
        var load = Task.Run(async () =>
        {
            while (!answeredAfterPromotion.Task.IsCompleted)
            {
                var code = (await host.Client.ShouldRateLimitAsync(probe, cancellationToken: guard.Token)).OverallCode;
                if (code == Code.OverLimit)
                {
                    sawFailureMode.TrySetResult();
                }
                else if (sawFailureMode.Task.IsCompleted && Volatile.Read(ref promoted) != 0)
                {
                    answeredAfterPromotion.TrySetResult(); // counted by Redis again (Closed mode answers OVER_LIMIT while failing)
                }

                await Task.Delay(20, guard.Token);
            }
        });

        var oldMaster = await _sentinel.KillMasterAsync();
        await sawFailureMode.Task.WaitAsync(guard.Token);
        var newMaster = await _sentinel.WaitForNewMasterAsync(oldMaster);
        Volatile.Write(ref promoted, newMaster);
        await answeredAfterPromotion.Task.WaitAsync(guard.Token);
        await load;

        Assert.Equal(_sentinel.InitialReplicaPort, newMaster);
        var codes = new List<Code>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await host.Client.ShouldRateLimitAsync(Request("se", ("small", "after-failover")))).OverallCode);
        }

        Assert.Equal([Code.Ok, Code.Ok, Code.Ok, Code.OverLimit], codes);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using MeshFunctions.Rls.Tests.Infrastructure;
using MeshFunctions.TestKit.Processes;
using Microsoft.Extensions.Time.Testing;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// A real 3-master Redis Cluster (each master with a replica): exact counting across three service instances, one
/// script call per distinct node per ShouldRateLimit call, and a master killed under load — the failure mode while
/// its replica is promoted, exact counting again afterwards.
/// </summary>
public sealed class RedisClusterTests : IAsyncLifetime
{
    private const string Yaml = """
        domain: cl
        descriptors:
          - key: shared
            rate_limit: {unit: minute, requests_per_unit: 50}
          - key: sliding
            rate_limit: {unit: minute, requests_per_unit: 40, algorithm: sliding_window}
          - key: bucket
            rate_limit: {unit: minute, requests_per_unit: 30, algorithm: token_bucket}
          - key: d
            rate_limit: {unit: hour, requests_per_unit: 1000000}
          - key: small
            rate_limit: {unit: hour, requests_per_unit: 3}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["cl.yaml"] = Yaml });
    private RedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _config.Dispose();
    }

    private Task<RlsHost> StartHostAsync(TimeProvider? time, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisCluster"] = "true",
            ["Rls:RedisConfiguration"] = _cluster.Configuration,
            ["Rls:RedisTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return RlsHost.StartAsync(_config.Path, settings, time);
    }

    [Fact]
    public async Task ThreeInstances_ConcurrentClients_AdmitExactlyTheLimitPerAlgorithm()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:15Z", CultureInfo.InvariantCulture));
        var hosts = new List<RlsHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await StartHostAsync(time));
            }

            async Task<int> BurstAsync(string key, int total)
            {
                var admitted = 0;
                var next = -1;
                await Task.WhenAll(Enumerable.Range(0, 12).Select(async w =>
                {
                    while (Interlocked.Increment(ref next) < total)
                    {
                        var response = await hosts[w % 3].Client.ShouldRateLimitAsync(Request("cl", (key, "x")));
                        if (response.OverallCode == Code.Ok)
                        {
                            Interlocked.Increment(ref admitted);
                        }
                    }
                }));
                return admitted;
            }

            Assert.Equal(50, await BurstAsync("shared", 120));
            Assert.Equal(40, await BurstAsync("sliding", 100));
            Assert.Equal(30, await BurstAsync("bucket", 80));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ShouldRateLimit_FiveDescriptors_OneScriptCallPerDistinctNode()
    {
        // A fixed clock fixes the key names (prefix + domain_key_value_ + hour start), so where each counter lives is
        // known in advance. (With the real clock the nodes a call touched depended on the hour: CRC16 keeps keys that
        // differ in one character on the same node, and a test that asked every node to serve a call flaked.)
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:15Z", CultureInfo.InvariantCulture));
        await using var host = await StartHostAsync(time, ("Rls:RedisBatching", "false"), ("Rls:CacheKeyPrefix", "rl:"));
        var masters = await _cluster.MasterPortsAsync();
        foreach (var port in masters)
        {
            await RedisCluster.CommandAsync(port, "CONFIG RESETSTAT");
        }

        const int Calls = 20;
        var hourStart = (time.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600).ToString(CultureInfo.InvariantCulture);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_cluster.Configuration);
        var expected = new Dictionary<System.Net.EndPoint, long>();
        for (var i = 0; i < Calls; i++)
        {
            string[] values = [.. Enumerable.Range(0, 5).Select(j => $"{(char)('a' + j)}{i * 7919 % 1000}-desc{j}")];
            var request = Request("cl", [.. values.Select(v => Descriptor(("d", v)))]);
            Assert.Equal(Code.Ok, (await host.Client.ShouldRateLimitAsync(request)).OverallCode);

            // The independent answer: the client library's own slot map says which master owns each counter; the
            // service must send one script to each distinct owner of the call's counters, no more.
            foreach (var owner in values.Select(v => redis.GetDatabase().IdentifyEndpoint("rl:cl_d_" + v + "_" + hourStart)!).Distinct())
            {
                expected[owner] = expected.GetValueOrDefault(owner) + 1;
            }
        }

        var perNode = new Dictionary<int, long>();
        foreach (var port in masters)
        {
            perNode[port] = ScriptCalls(await RedisCluster.CommandAsync(port, "INFO commandstats"));
        }

        var expectedByPort = expected.ToDictionary(e => ((System.Net.IPEndPoint)e.Key).Port, e => e.Value);
        Assert.Equal(expectedByPort.OrderBy(e => e.Key), perNode.Where(e => e.Value > 0).OrderBy(e => e.Key));
        Assert.True(perNode.Values.Sum() < 5 * Calls, "one script per key instead of one per node");
        Assert.True(expected.Count > 1, "the calls' counters should live on more than one master");
    }

    [Fact]
    public async Task ShouldRateLimit_Cluster_FixedWindowKeysNamedAsInSingleRedisAndSpreadBySlot()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:15Z", CultureInfo.InvariantCulture));
        await using var host = await StartHostAsync(time, ("Rls:CacheKeyPrefix", "rl:"));
        var request = Request("cl", [.. Enumerable.Range(0, 5).Select(j => Descriptor(("d", "compat" + j)))]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Code.Ok, (await host.Client.ShouldRateLimitAsync(request)).OverallCode);
        }

        // envoyproxy/ratelimit's key: prefix + domain_key_value_ + window start (Unix seconds), no hash tag, so a
        // cluster client (this one: StackExchange.Redis) finds each under its own slot.
        var hourStart = (time.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600).ToString(CultureInfo.InvariantCulture);
        var keys = Enumerable.Range(0, 5).Select(j => "rl:cl_d_compat" + j + "_" + hourStart).ToArray();
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_cluster.Configuration);
        foreach (var key in keys)
        {
            Assert.Equal(3, (long)await redis.GetDatabase().StringGetAsync(key));
        }

        Assert.True(keys.Select(k => redis.HashSlot(k)).Distinct().Count() > 1);
        var owners = new HashSet<System.Net.EndPoint>();
        foreach (var key in keys)
        {
            owners.Add(redis.GetDatabase().IdentifyEndpoint(key)!);
        }

        Assert.True(owners.Count > 1, "the five counters should live on more than one master");
    }

    [Fact]
    public async Task MasterKilledUnderLoad_FailureModeThenReplicaPromotedAndCountingResumes()
    {
        await using var host = await StartHostAsync(null, ("Rls:FailureMode", "Closed"), ("Rls:RedisTimeout", "00:00:00.500"), ("Rls:BreakerBreakDuration", "00:00:00.500"));
        var spread = Request("cl", [.. Enumerable.Range(0, 6).Select(j => Descriptor(("d", "spread" + j)))]);
        Assert.Equal(Code.Ok, (await host.Client.ShouldRateLimitAsync(spread)).OverallCode);

        var masters = await _cluster.MasterPortsAsync();
        await _cluster.KillAsync(masters[0]);

        // Every call is still answered: OVER_LIMIT (FailureMode Closed) while a slot's master is away.
        var sawFailureMode = false;
        using (var guard = new CancellationTokenSource(Patience))
        {
            while (true)
            {
                var response = await host.Client.ShouldRateLimitAsync(spread, cancellationToken: guard.Token);
                if (response.OverallCode == Code.OverLimit)
                {
                    sawFailureMode = true;
                }
                else if (sawFailureMode)
                {
                    break; // answered from Redis again: the replica has been promoted
                }

                await Task.Delay(20, guard.Token);
            }
        }

        Assert.True(sawFailureMode);
        await _cluster.WaitHealthyAsync();
        Assert.DoesNotContain(masters[0], await _cluster.MasterPortsAsync());
        var codes = new List<Code>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await host.Client.ShouldRateLimitAsync(Request("cl", ("small", "after-failover")))).OverallCode);
        }

        Assert.Equal([Code.Ok, Code.Ok, Code.Ok, Code.OverLimit], codes);
    }

    private static long ScriptCalls(string commandStats)
    {
        long total = 0;
        foreach (Match match in Regex.Matches(commandStats, @"^cmdstat_(evalsha|eval):calls=(\d+)", RegexOptions.Multiline))
        {
            total += long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return total;
    }
}

using System.Net;
using Grpc.Health.V1;
using MeshFunctions.Rls.Tests.Infrastructure;
using MeshFunctions.TestKit.Processes;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// Readiness: <c>/healthz</c> and gRPC health (grpc.health.v1) report not ready until the config is loaded and the
/// backend is warm; once ready, the first calls are counted (no failure-mode answer).
/// </summary>
public sealed class ColdStartTests
{
    private const string Yaml = """
        domain: cold
        descriptors:
          - key: k
            rate_limit: {unit: hour, requests_per_unit: 3}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_RedisDownThenUp_NotReadyUntilWarmThenFirstCallsCounted()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["cold.yaml"] = Yaml });
        await using var host = await RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = redis.Endpoint,
            ["Rls:RedisTimeout"] = "00:00:01",
            [RlsHost.WaitWarmSetting] = "false",
        });
        var health = new Health.HealthClient(host.Channel);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        using (var response = await host.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        await redis.RestartAsync();
        await WaitServingAsync(health);
        using (var response = await host.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var remaining = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            var answer = await host.Client.ShouldRateLimitAsync(Request("cold", ("k", "v")));
            remaining.Add(answer.Statuses[0].LimitRemaining);
            Assert.Equal(i < 3 ? Code.Ok : Code.OverLimit, answer.OverallCode);
        }

        Assert.Equal([2u, 1u, 0u, 0u], remaining);
    }

    [Fact]
    public async Task Start_NoValidConfig_GrpcHealthNotServing()
    {
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["bad.yaml"] = "domain: x\nfoo: 1\n" });
        await using var host = await RlsHost.StartAsync(config.Path);

        var status = (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status;

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status);
    }

    [Fact]
    public async Task Start_InProcess_ServingOnceWarm()
    {
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["cold.yaml"] = Yaml });
        await using var host = await RlsHost.StartAsync(config.Path);

        await WaitServingAsync(new Health.HealthClient(host.Channel));

        var answer = await host.Client.ShouldRateLimitAsync(Request("cold", ("k", "v")));
        Assert.Equal(2u, answer.Statuses[0].LimitRemaining);
    }

    private static async Task WaitServingAsync(Health.HealthClient health)
    {
        using var guard = new CancellationTokenSource(Patience);
        while ((await health.CheckAsync(new HealthCheckRequest(), cancellationToken: guard.Token)).Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            await Task.Delay(50, guard.Token);
        }
    }
}

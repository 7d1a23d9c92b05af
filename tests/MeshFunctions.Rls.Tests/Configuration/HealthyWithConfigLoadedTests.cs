using System.Net;
using Grpc.Health.V1;
using MeshFunctions.Rls.Tests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace MeshFunctions.Rls.Tests.Configuration;

/// <summary>
/// envoyproxy/ratelimit's HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED with FORCE_START_WITHOUT_INITIAL_CONFIG: a forced start
/// on a config that does not load is healthy without the switch and unhealthy with it (/healthz and gRPC health) until
/// a config loads.
/// </summary>
public sealed class HealthyWithConfigLoadedTests
{
    private const string Broken = "domain: h\ndescriptors:\n  - key: k\n    rate_limit: {unit: fortnight, requests_per_unit: 1}\n";
    private const string Valid = "domain: h\ndescriptors:\n  - key: k\n    rate_limit: {unit: hour, requests_per_unit: 1}\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Task<RlsHost> StartAsync(ConfigMapDirectory config, bool healthyWithConfig) => RlsHost.StartAsync(
        config.Path,
        // A failed reload alone does not fail health here, so only the switch decides.
        new Dictionary<string, string?> { ["Rls:UnhealthyOnConfigError"] = "false" },
        environment: new Dictionary<string, string>
        {
            ["FORCE_START_WITHOUT_INITIAL_CONFIG"] = "true",
            ["HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED"] = healthyWithConfig ? "true" : "false",
        });

    [Fact]
    public async Task Health_SwitchOnAndNoConfigLoaded_UnhealthyUntilAConfigLoads()
    {
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["h.yaml"] = Broken });
        await using var host = await StartAsync(config, healthyWithConfig: true);
        var health = new Health.HealthClient(host.Channel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);

        config.Swap(new Dictionary<string, string> { ["h.yaml"] = Valid });
        using var guard = new CancellationTokenSource(Patience);
        while ((await host.Http.GetAsync("/healthz", guard.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50, guard.Token);
        }

        while ((await health.CheckAsync(new HealthCheckRequest(), cancellationToken: guard.Token)).Status != ServingStatus.Serving)
        {
            await Task.Delay(50, guard.Token);
        }
    }

    [Fact]
    public async Task Health_SwitchOffAndNoConfigLoaded_HealthyOnForcedStart()
    {
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["h.yaml"] = Broken });
        await using var host = await StartAsync(config, healthyWithConfig: false);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(ServingStatus.Serving, (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }
}

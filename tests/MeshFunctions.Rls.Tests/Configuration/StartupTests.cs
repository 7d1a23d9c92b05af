using Grpc.Core;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;

namespace MeshFunctions.Rls.Tests.Configuration;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_InvalidOptions_FailsWithEveryError()
    {
        using var config = new ConfigMapDirectory(FeatureConfig.Files);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:RedisTimeout"] = "00:00:00",
            ["Rls:NearLimitRatio"] = "2",
            ["Rls:LimitHeader"] = "bad header",
        }));
        Assert.Contains("Rls:RedisTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Rls:NearLimitRatio", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Rls:LimitHeader", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RedisTimeoutBelowPollysMinimum_FailsNamingTheOption()
    {
        using var config = new ConfigMapDirectory(FeatureConfig.Files);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisTimeout"] = "00:00:00.005",
        }));
        Assert.Contains("Rls:RedisTimeout must be between 10 ms (the shortest timeout Polly accepts) and 10 s, got 5 ms", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ClusterWithSentinelServiceName_FailsNamingBothOptions()
    {
        using var config = new ConfigMapDirectory(FeatureConfig.Files);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => RlsHost.StartAsync(config.Path, new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisCluster"] = "true",
            ["Rls:RedisConfiguration"] = "s1:26379, serviceName=mymaster",
        }));
        Assert.Contains("Rls:RedisCluster cannot be combined with serviceName= (Redis Sentinel) in Rls:RedisConfiguration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoValidConfig_CallsUnavailableUntilForced()
    {
        using var config = new ConfigMapDirectory(new Dictionary<string, string> { ["bad.yaml"] = "domain: x\nfoo: 1\n" });
        await using (var host = await RlsHost.StartAsync(config.Path))
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ShouldRateLimitAsync(Request("x", ("a", "b"))));
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        }

        await using var forced = await RlsHost.StartAsync(config.Path, new Dictionary<string, string?> { ["Rls:ForceStartWithoutInitialConfig"] = "true" });
        var response = await forced.Client.ShouldRateLimitAsync(Request("x", ("a", "b")));
        Assert.Equal(Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code.Ok, response.OverallCode);
    }
}

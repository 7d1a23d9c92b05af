using Envoy.Service.Ratelimit.V3;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>The service-wide switches: QUOTA_MODE, SHADOW_MODE, RESPONSE_DYNAMIC_METADATA off, the metric label cap.</summary>
public sealed class GlobalSwitchesTests : IDisposable
{
    private readonly ConfigMapDirectory _config = new(FeatureConfig.Files);

    // The limits here count per minute: on the real clock, calls that straddle a minute boundary land in two windows
    // (the shadow-mode test saw one over-limit answer instead of two). A clock stopped mid-minute keeps them in one.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 30, TimeSpan.Zero));

    public void Dispose() => _config.Dispose();

    private static async Task<RateLimitResponse> CallAsync(RlsHost host, params (string Key, string Value)[][] descriptors) =>
        await host.Client.ShouldRateLimitAsync(Request(FeatureConfig.ReferenceDomain, [.. descriptors.Select(d => Descriptor(d))]));

    [Fact]
    public async Task GlobalQuotaMode_EveryDescriptorIsSoft_OverOnlyWhenAllAreOver()
    {
        await using var host = await RlsHost.StartAsync(_config.Path, new Dictionary<string, string?> { ["Rls:GlobalQuotaMode"] = "true" }, _clock);
        (string, string)[] hard = [("hard", "x")], pro = [("plan", "pro")];

        Assert.Equal(Code.Ok, (await CallAsync(host, hard, pro)).OverallCode);
        var second = await CallAsync(host, hard, pro);
        Assert.Equal(Code.Ok, second.OverallCode);
        Assert.Equal(0, second.DynamicMetadata.Fields["quotaModeViolations"].ListValue.Values[0].NumberValue);
        Assert.False(second.DynamicMetadata.Fields.ContainsKey("domain"));
        Assert.Equal(Code.OverLimit, (await CallAsync(host, hard, pro)).OverallCode);
    }

    [Fact]
    public async Task GlobalShadowMode_OverLimitAnsweredOk_ShadowHitsCounted()
    {
        await using var host = await RlsHost.StartAsync(_config.Path, new Dictionary<string, string?> { ["Rls:GlobalShadowMode"] = "true" }, _clock);

        for (var i = 0; i < 3; i++)
        {
            var response = await CallAsync(host, [("hard", "x")]);
            Assert.Equal(Code.Ok, response.OverallCode);
        }

        var text = await host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_shadow_mode{domain=\"reference\",rule=\"hard\",limit=\"0\"} 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxMetricLabelSets_Reached_LaterValuesCountUnderOverflow()
    {
        await using var host = await RlsHost.StartAsync(_config.Path, new Dictionary<string, string?> { ["Rls:MaxMetricLabelSets"] = "2" });

        foreach (var tenant in new[] { "t1", "t2", "t3", "t4", "t1" })
        {
            await CallAsync(host, [("tenant", tenant)]);
        }

        var text = await host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"tenant_t1\",limit=\"0\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"_overflow\",limit=\"0\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("rls_metric_label_sets_dropped_total 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant_t3", text, StringComparison.Ordinal);
    }
}

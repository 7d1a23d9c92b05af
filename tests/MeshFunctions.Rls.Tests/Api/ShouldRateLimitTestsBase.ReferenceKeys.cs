using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using MeshFunctions.Rls.Tests.Infrastructure;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>envoyproxy/ratelimit's quota_mode, metadata, share_threshold and value_to_metric (domain "reference").</summary>
public abstract partial class ShouldRateLimitTestsBase
{
    private async Task<RateLimitResponse> ReferenceAsync(uint hitsAddend, params (string Key, string Value)[][] descriptors)
    {
        var request = Request(FeatureConfig.ReferenceDomain, [.. descriptors.Select(d => Descriptor(d))]);
        request.HitsAddend = hitsAddend;
        return await Host.Client.ShouldRateLimitAsync(request);
    }

    private static List<double> Violations(RateLimitResponse response) =>
        [.. response.DynamicMetadata.Fields["quotaModeViolations"].ListValue.Values.Select(v => v.NumberValue)];

    [Fact]
    public async Task ShouldRateLimit_QuotaMode_OverOnlyWhenEveryQuotaDescriptorIsOver()
    {
        (string, string)[] basic = [("plan", "basic")], pro = [("plan", "pro")];

        var first = await ReferenceAsync(0, basic, pro);
        Assert.Equal(Code.Ok, first.OverallCode);
        Assert.True(first.DynamicMetadata.Fields["quotaModeEnabled"].BoolValue);
        Assert.Empty(Violations(first));

        // basic (1/min) is over, pro (2/min) is not: a soft violation, reported, call admitted.
        var second = await ReferenceAsync(0, basic, pro);
        Assert.Equal(Code.Ok, second.OverallCode);
        Assert.Equal([Code.Ok, Code.Ok], second.Statuses.Select(s => s.Code));
        Assert.Equal(0u, second.Statuses[0].LimitRemaining);
        Assert.Equal([0d], Violations(second));

        // Now both quota descriptors are over: the call is over.
        var third = await ReferenceAsync(0, basic, pro);
        Assert.Equal(Code.OverLimit, third.OverallCode);
        Assert.Equal([Code.OverLimit, Code.OverLimit], third.Statuses.Select(s => s.Code));
        Assert.Equal([0d, 1d], Violations(third));
    }

    [Fact]
    public async Task ShouldRateLimit_QuotaModeBesideHardLimit_HardLimitDecides()
    {
        (string, string)[] pro = [("plan", "pro")], hard = [("hard", "x")];

        Assert.Equal(Code.Ok, (await ReferenceAsync(0, pro, hard)).OverallCode);
        var second = await ReferenceAsync(0, pro, hard);

        Assert.Equal(Code.OverLimit, second.OverallCode);
        Assert.Equal([Code.Ok, Code.OverLimit], second.Statuses.Select(s => s.Code));
        Assert.Empty(Violations(second));
    }

    [Fact]
    public async Task ShouldRateLimit_SingleQuotaDescriptorOver_IsOverLimit()
    {
        Assert.Equal(Code.Ok, (await ReferenceAsync(0, [("plan", "basic")])).OverallCode);

        var second = await ReferenceAsync(0, [("plan", "basic")]);

        Assert.Equal(Code.OverLimit, second.OverallCode);
        Assert.Equal([0d], Violations(second));
    }

    [Fact]
    public async Task ShouldRateLimit_ResponseDynamicMetadata_DomainDescriptorsHitsAndMergedMetadata()
    {
        var response = await ReferenceAsync(2, [("plan", "basic")], [("hard", "x")], [("route", "/v1/a"), ("method", "GET")]);

        var fields = response.DynamicMetadata.Fields;
        Assert.Equal("reference", fields["domain"].StringValue);
        Assert.Equal(
            [["plan=basic"], ["hard=x"], ["route=/v1/a", "method=GET"]],
            fields["descriptors"].ListValue.Values.Select(d => d.StructValue.Fields["entries"].ListValue.Values.Select(e => e.StringValue).ToArray()));
        Assert.Equal(2d, fields["hitsAddend"].NumberValue);
        Assert.Equal("basic", fields["tier"].StringValue);
        Assert.Equal("small", fields["backend"].StructValue.Fields["pool"].StringValue);

        // A later descriptor's metadata wins on the same key; no hits addend, no field.
        var merged = await ReferenceAsync(0, [("plan", "basic")], [("plan", "pro")]);
        Assert.Equal("pro", merged.DynamicMetadata.Fields["tier"].StringValue);
        Assert.False(merged.DynamicMetadata.Fields.ContainsKey("hitsAddend"));
    }

    [Fact]
    public async Task ShouldRateLimit_ShareThreshold_ValuesOfOneWildcardShareOneCounter()
    {
        Assert.Equal(Code.Ok, (await ReferenceAsync(0, [("bucket", "files/a.pdf")])).OverallCode);
        Assert.Equal(Code.Ok, (await ReferenceAsync(0, [("bucket", "files/b.csv")])).OverallCode);
        Assert.Equal(Code.OverLimit, (await ReferenceAsync(0, [("bucket", "files/sub/c.txt")])).OverallCode);

        // Shared at a parent level: the child's counter is shared across the parent's values too.
        Assert.Equal(Code.Ok, (await ReferenceAsync(0, [("group", "g1"), ("user", "u")])).OverallCode);
        Assert.Equal(Code.OverLimit, (await ReferenceAsync(0, [("group", "g2"), ("user", "u")])).OverallCode);
        Assert.Equal(Code.Ok, (await ReferenceAsync(0, [("group", "g2"), ("user", "v")])).OverallCode);

        var text = await Host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"bucket_files/*\",limit=\"0\"} 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a.pdf", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ShareThresholdWithDetailedMetric_ShowsThePattern()
    {
        await ReferenceAsync(0, [("images", "img/a.png")]);
        await ReferenceAsync(0, [("images", "img/b.png")]);

        var text = await Host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"images_img/*\",limit=\"0\"} 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a.png", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ValueToMetric_ShowsRequestValuesOnlyWhereAsked()
    {
        await ReferenceAsync(0, [("route", "/v1/users"), ("method", "GET")]);
        await ReferenceAsync(0, [("tenant", "acme")]);

        var text = await Host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"route_/v1/users.method\",limit=\"0\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("rls_rate_limit_total_hits{domain=\"reference\",rule=\"tenant_acme\",limit=\"0\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("method_GET", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_NoQuotaDescriptor_NoQuotaMetadata()
    {
        var response = await ReferenceAsync(0, [("hard", "y")]);

        Assert.False(response.DynamicMetadata.Fields.ContainsKey("quotaModeEnabled"));
        Assert.Equal(Value.ForString("reference"), response.DynamicMetadata.Fields["domain"]);
    }
}

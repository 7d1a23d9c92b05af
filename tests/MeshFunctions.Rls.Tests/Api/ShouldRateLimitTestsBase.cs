using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;
using Unit = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.RateLimit.Types.Unit;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>
/// Every config feature through a real gRPC channel (HTTP/2 cleartext on loopback); run once per
/// backend by the derived classes. The clock is fake and starts mid-minute so windows are deterministic.
/// </summary>
public abstract partial class ShouldRateLimitTestsBase : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-25T12:00:30Z", System.Globalization.CultureInfo.InvariantCulture));

    protected RlsHost Host { get; private set; } = null!;

    private ConfigMapDirectory Config { get; } = new(FeatureConfig.Files);

    protected abstract Task<Dictionary<string, string?>> BackendSettingsAsync();

    public async Task InitializeAsync()
    {
        var settings = await BackendSettingsAsync();
        settings["Rls:ResponseHeadersEnabled"] = "true";
        settings["Rls:ResponseDynamicMetadata"] = "true";
        Host = await RlsHost.StartAsync(Config.Path, settings, Time);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Config.Dispose();
    }

    protected async Task<RateLimitResponse> CallAsync(params (string Key, string Value)[] entries) =>
        await Host.Client.ShouldRateLimitAsync(Request(FeatureConfig.Domain, entries));

    protected async Task<List<Code>> CodesAsync(int calls, params (string Key, string Value)[] entries)
    {
        var codes = new List<Code>();
        for (var i = 0; i < calls; i++)
        {
            codes.Add((await CallAsync(entries)).OverallCode);
        }

        return codes;
    }

    protected static List<Code> Expect(int ok, int over) => [.. Enumerable.Repeat(Code.Ok, ok), .. Enumerable.Repeat(Code.OverLimit, over)];

    [Fact]
    public async Task ShouldRateLimit_FixedWindow_AdmitsLimitThenOverLimitWithStatusFields()
    {
        var first = await CallAsync(("fixed", "a"));
        Assert.Equal(Code.Ok, first.OverallCode);
        var status = Assert.Single(first.Statuses);
        Assert.Equal(3u, status.CurrentLimit.RequestsPerUnit);
        Assert.Equal(Unit.Minute, status.CurrentLimit.Unit);
        Assert.Equal(2u, status.LimitRemaining);
        Assert.Equal(30, status.DurationUntilReset.Seconds);

        Assert.Equal(Expect(2, 2), await CodesAsync(4, ("fixed", "a")));
        var other = await CallAsync(("fixed", "b"));
        Assert.Equal(Code.Ok, other.OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_NextWindow_CountsFromZero()
    {
        Assert.Equal(Expect(3, 1), await CodesAsync(4, ("fixed", "w")));
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Expect(3, 1), await CodesAsync(4, ("fixed", "w")));
    }

    [Fact]
    public async Task ShouldRateLimit_ExactWildcardKeyOnly_MatchedInThatOrder()
    {
        Assert.Equal("exact", (await CallAsync(("path", "/exact"))).Statuses[0].CurrentLimit.Name);
        Assert.Equal("wildcard", (await CallAsync(("path", "/api/users"))).Statuses[0].CurrentLimit.Name);
        Assert.Equal("multi-star", (await CallAsync(("path", "/a-x-b-y-c"))).Statuses[0].CurrentLimit.Name);
        Assert.Equal("multi-star", (await CallAsync(("path", "/abc"))).Statuses[0].CurrentLimit.Name);
        Assert.Equal("key-only", (await CallAsync(("path", "/a-x-b-y-cd"))).Statuses[0].CurrentLimit.Name);
        Assert.Equal("key-only", (await CallAsync(("path", "/other"))).Statuses[0].CurrentLimit.Name);
    }

    [Fact]
    public async Task ShouldRateLimit_WildcardValues_ShareNothingAcrossValues()
    {
        Assert.Equal(Expect(2, 1), await CodesAsync(3, ("path", "/api/one")));
        Assert.Equal(Expect(2, 0), await CodesAsync(2, ("path", "/api/two")));
    }

    [Fact]
    public async Task ShouldRateLimit_Nested_LimitAppliesAtRequestDepth()
    {
        Assert.Equal("outer", (await CallAsync(("outer", "x"))).Statuses[0].CurrentLimit.Name);
        var nested = await CallAsync(("outer", "x"), ("inner", "anything"));
        Assert.Equal("nested", nested.Statuses[0].CurrentLimit.Name);
        Assert.Equal(Unit.Hour, nested.Statuses[0].CurrentLimit.Unit);

        // Deeper than the config, or an unmatched level: no limit (envoyproxy/ratelimit README example 4).
        var deeper = await CallAsync(("outer", "x"), ("inner", "y"), ("deeper", "z"));
        Assert.Null(deeper.Statuses[0].CurrentLimit);
        Assert.Equal(Code.Ok, deeper.OverallCode);
        Assert.Null((await CallAsync(("outer", "nope"))).Statuses[0].CurrentLimit);
        Assert.Null((await CallAsync(("unknown-key", "v"))).Statuses[0].CurrentLimit);
        Assert.Null((await CallAsync(("whitelisted", "v"))).Statuses[0].CurrentLimit);
    }

    [Fact]
    public async Task ShouldRateLimit_SeveralDescriptors_StatusesInRequestOrderAndOverallOverLimit()
    {
        await CallAsync(("path", "/exact"));
        var request = Request(FeatureConfig.Domain, Descriptor(("fixed", "order")), Descriptor(("path", "/exact")), Descriptor(("free", "x")), Descriptor(("whitelisted", "y")));
        var response = await Host.Client.ShouldRateLimitAsync(request);
        Assert.Equal(4, response.Statuses.Count);
        Assert.Equal(Code.OverLimit, response.OverallCode);
        Assert.Equal([Code.Ok, Code.OverLimit, Code.Ok, Code.Ok], response.Statuses.Select(s => s.Code));
        Assert.Equal(3u, response.Statuses[0].CurrentLimit.RequestsPerUnit);
        Assert.Equal("exact", response.Statuses[1].CurrentLimit.Name);
    }

    [Fact]
    public async Task ShouldRateLimit_HitsAddend_RequestLevelAndPerDescriptorOverride()
    {
        var request = Request(FeatureConfig.Domain, ("fixed", "hits"));
        request.HitsAddend = 2;
        Assert.Equal(1u, (await Host.Client.ShouldRateLimitAsync(request)).Statuses[0].LimitRemaining);

        // Per-descriptor hits_addend overrides the request's, and may be 0 (a pure read).
        request.Descriptors[0].HitsAddend = 0;
        var read = await Host.Client.ShouldRateLimitAsync(request);
        Assert.Equal(Code.Ok, read.OverallCode);
        Assert.Equal(1u, read.Statuses[0].LimitRemaining);

        request.Descriptors[0].HitsAddend = 2;
        Assert.Equal(Code.OverLimit, (await Host.Client.ShouldRateLimitAsync(request)).OverallCode);

        // hits_addend 0 at request level means 1.
        var one = Request(FeatureConfig.Domain, ("fixed", "zero"));
        one.HitsAddend = 0;
        Assert.Equal(2u, (await Host.Client.ShouldRateLimitAsync(one)).Statuses[0].LimitRemaining);
    }

    [Fact]
    public async Task ShouldRateLimit_LimitOverride_UsedInsteadOfConfig()
    {
        var descriptor = Descriptor(("whitelisted", "override"));
        descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 2, Unit = Envoy.Type.V3.RateLimitUnit.Hour };
        var request = Request(FeatureConfig.Domain, descriptor);
        var first = await Host.Client.ShouldRateLimitAsync(request);
        Assert.Equal(2u, first.Statuses[0].CurrentLimit.RequestsPerUnit);
        Assert.Equal(Unit.Hour, first.Statuses[0].CurrentLimit.Unit);
        Assert.Equal(1u, first.Statuses[0].LimitRemaining);
        Assert.Equal(Code.Ok, (await Host.Client.ShouldRateLimitAsync(request)).OverallCode);
        Assert.Equal(Code.OverLimit, (await Host.Client.ShouldRateLimitAsync(request)).OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_OverrideWithUnknownUnit_InvalidArgumentNamingTheField()
    {
        var descriptor = Descriptor(("fixed", "x"));
        descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 2 };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Host.Client.ShouldRateLimitAsync(Request(FeatureConfig.Domain, descriptor)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("descriptors[0].limit.unit", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_WeekUnit_AnsweredWithResponseEnumWeek()
    {
        var response = await CallAsync(("weekly", "w"));
        Assert.Equal(Unit.Week, response.Statuses[0].CurrentLimit.Unit);
        Assert.Equal(7, (int)response.Statuses[0].CurrentLimit.Unit);
        Assert.Equal(9u, response.Statuses[0].LimitRemaining);
    }

    [Fact]
    public async Task ShouldRateLimit_Unlimited_OkWithMaxRemainingAndNoLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            var response = await CallAsync(("free", "x"));
            Assert.Equal(Code.Ok, response.OverallCode);
            Assert.Null(response.Statuses[0].CurrentLimit);
            Assert.Equal(uint.MaxValue, response.Statuses[0].LimitRemaining);
        }
    }

    [Fact]
    public async Task ShouldRateLimit_ShadowMode_CountsButAnswersOk()
    {
        await CallAsync(("shadow", "s"));
        var over = await CallAsync(("shadow", "s"));
        Assert.Equal(Code.Ok, over.OverallCode);
        Assert.Equal(Code.Ok, over.Statuses[0].Code);
        Assert.Equal(0u, over.Statuses[0].LimitRemaining);
    }

    [Fact]
    public async Task ShouldRateLimit_ZeroRequestsPerUnit_BlocksEverything()
    {
        Assert.Equal(Code.OverLimit, (await CallAsync(("banned", "b"))).OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_Replaces_DropsTheNamedLimit()
    {
        var request = Request(FeatureConfig.Domain, Descriptor(("category", "account")), Descriptor(("user", "u1")));
        for (var i = 0; i < 4; i++)
        {
            var response = await Host.Client.ShouldRateLimitAsync(request);
            Assert.Equal(Code.Ok, response.OverallCode);
            Assert.Null(response.Statuses[1].CurrentLimit);
        }

        Assert.Equal(Code.OverLimit, (await Host.Client.ShouldRateLimitAsync(request)).OverallCode);

        // Alone, the per-user limit applies (1/min).
        Assert.Equal(Expect(1, 1), await CodesAsync(2, ("user", "u2")));
    }

    [Fact]
    public async Task ShouldRateLimit_SeveralLimitsOnOneDescriptor_AllMustAdmit()
    {
        var first = await CallAsync(("multi", "m"));
        Assert.Equal("per-hour", first.Statuses[0].CurrentLimit.Name);
        Assert.Equal(1u, first.Statuses[0].LimitRemaining);
        Assert.Equal(Code.Ok, (await CallAsync(("multi", "m"))).OverallCode);
        var third = await CallAsync(("multi", "m"));
        Assert.Equal(Code.OverLimit, third.OverallCode);
        Assert.Equal("per-hour", third.Statuses[0].CurrentLimit.Name);
    }
}

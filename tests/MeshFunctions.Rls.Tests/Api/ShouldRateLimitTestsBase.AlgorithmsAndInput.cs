using System.Net;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using MeshFunctions.Rls.Tests.Infrastructure;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>Algorithms, response headers and malformed or oversized gRPC input.</summary>
public abstract partial class ShouldRateLimitTestsBase
{
    [Fact]
    public async Task ShouldRateLimit_SlidingWindow_WeighsThePreviousWindow()
    {
        Assert.Equal(Expect(10, 1), await CodesAsync(11, ("sliding", "s")));

        // Half-way through the next minute the previous 10 still weigh 5, so only 5 more pass
        // (a fixed window would admit 10 here: the edge burst the sliding window removes).
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Expect(5, 1), await CodesAsync(6, ("sliding", "s")));
    }

    [Fact]
    public async Task ShouldRateLimit_TokenBucket_BurstThenContinuousRefill()
    {
        Assert.Equal(Expect(6, 1), await CodesAsync(7, ("bucket", "b")));
        var over = await CallAsync(("bucket", "b"));
        Assert.Equal(10, over.Statuses[0].DurationUntilReset.Seconds);

        // 6 per minute = one token every 10 s.
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Expect(1, 1), await CodesAsync(2, ("bucket", "b")));
        Time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(Expect(2, 1), await CodesAsync(3, ("bucket", "b")));
    }

    [Fact]
    public async Task ShouldRateLimit_HeadersEnabled_AddsRateLimitHeadersOfTheClosestLimit()
    {
        var request = Request(FeatureConfig.Domain, Descriptor(("path", "/other")), Descriptor(("fixed", "h")));
        var response = await Host.Client.ShouldRateLimitAsync(request);
        var headers = response.ResponseHeadersToAdd.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("3", headers["RateLimit-Limit"]);
        Assert.Equal("2", headers["RateLimit-Remaining"]);
        Assert.Equal("30", headers["RateLimit-Reset"]);
    }

    [Fact]
    public async Task ShouldRateLimit_UnknownDomain_OkWithoutLimits()
    {
        var response = await Host.Client.ShouldRateLimitAsync(Request("no-such-domain", Descriptor(("a", "b")), Descriptor(("c", "d"))));
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(2, response.Statuses.Count);
        Assert.All(response.Statuses, s => Assert.Null(s.CurrentLimit));
    }

    [Theory]
    [InlineData("", "fixed", "domain")]
    [InlineData("features", "", "descriptors[0].entries[0].key")]
    public async Task ShouldRateLimit_InvalidRequest_InvalidArgumentNamingTheField(string domain, string key, string field)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Host.Client.ShouldRateLimitAsync(Request(domain, (key, "v"))));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field + ":", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_NoDescriptors_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Host.Client.ShouldRateLimitAsync(new RateLimitRequest { Domain = "features" }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("descriptors", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_HugeRequest_ResourceExhaustedAndServiceStillAnswers()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await CallAsync(("fixed", new string('x', 200_000))));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(Code.Ok, (await CallAsync(("fixed", "after-huge"))).OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_MalformedProtobuf_GrpcErrorAndServiceStillAnswers()
    {
        using var http = new HttpClient();
        byte[] garbage = [0, 0, 0, 0, 6, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f];
        using var content = new ByteArrayContent(garbage);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Host.GrpcPort}/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(message);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.Single()
            : $"no grpc-status: HTTP {(int)response.StatusCode} {response.Version} {string.Join(",", response.Headers.Select(x => x.Key))}";
        Assert.Equal("2", status); // grpc-dotnet answers UNKNOWN when the request cannot be deserialized
        Assert.Equal(Code.Ok, (await CallAsync(("fixed", "after-garbage"))).OverallCode);
    }
}

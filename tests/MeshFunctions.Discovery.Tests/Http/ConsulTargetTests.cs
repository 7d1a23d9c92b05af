using MeshFunctions.Discovery.Http;

namespace MeshFunctions.Discovery.Tests.Http;

public sealed class ConsulTargetTests
{
    [Fact]
    public void Get_DecodesLikeGoFirstMatchWinsAndAbsentIsNull()
    {
        var target = ConsulTarget.Parse("/v1/health/service/a%2Fb?tag=v%201&tag=v2&filter=Service.Port+%3D%3D+80&&passing&t%6Fken=x&empty=");

        Assert.Equal("/v1/health/service/a%2Fb", target.RawPath);
        Assert.Equal("v 1", target.Get("tag"));
        Assert.Equal("Service.Port == 80", target.Get("filter"));
        Assert.Equal(string.Empty, target.Get("passing"));
        Assert.Equal("x", target.Get("token"));
        Assert.Equal(string.Empty, target.Get("empty"));
        Assert.Null(target.Get("index"));
        Assert.True(target.Has("passing"));
        Assert.False(target.Has("wait"));
        Assert.True(target.TryGetBool("passing", out var passing) && passing);
    }

    [Theory]
    [InlineData("/v1/catalog/service/web", "/v1/catalog/service/web")]
    [InlineData("/v1/health/service/web?passing=1&tag=v1", "/v1/health/service/web?passing=1&tag=v1")]
    [InlineData("/v1/health/service/web?index=7&passing=1&wait=1s&token=t", "/v1/health/service/web?passing=1")]
    [InlineData("/v1/health/service/web?passing=1&&tag=v1", "/v1/health/service/web?passing=1&tag=v1")]
    [InlineData("/v1/health/service/web?", "/v1/health/service/web")]
    [InlineData("/v1/health/service/web?index=1", "/v1/health/service/web")]
    [InlineData("/v1/kv/a?rec%75rse", "/v1/kv/a?rec%75rse")]
    public void UpstreamTarget_KeepsOnlyShapingParametersAsSent(string raw, string upstream) =>
        Assert.Equal(upstream, ConsulTarget.Parse(raw).UpstreamTarget());

    [Fact]
    public void UpstreamTarget_OnlyShapingParameters_IsTheRawTargetItself()
    {
        var raw = "/v1/health/service/web?passing=1";

        Assert.Same(raw, ConsulTarget.Parse(raw).UpstreamTarget());
    }

    [Fact]
    public void WithoutToken_DropsTheTokenKeepsTheRest() =>
        Assert.Equal("/v1/kv/a?recurse&cas=3", ConsulTarget.Parse("/v1/kv/a?recurse&token=secret&cas=3").WithoutToken());
}

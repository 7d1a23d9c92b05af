using MeshFunctions.TestKit.Consul.Internal;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("60000ms", 60_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1500us", 1.5)]
    public void TryParse_GoSyntax_Parsed(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1m30")]
    [InlineData(".s")]
    public void TryParse_NotGoSyntax_Rejected(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("wait=20m", 600)]
    [InlineData("wait=0s", 300)]
    [InlineData("", 300)]
    [InlineData("wait=90s", 90)]
    public void BlockingQuery_Wait_DefaultFiveMinutesCappedAtTen(string parameters, int seconds)
    {
        Assert.Null(BlockingQuery.TryParse(ConsulQuery.Parse("/v1/catalog/services?index=5&" + parameters), out var parsed));
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed.Wait);
        Assert.Equal(5UL, parsed.MinIndex);
    }
}

using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;

namespace MeshFunctions.Rls.Tests.Backends;

public sealed class OverLimitCacheTests
{
    private const long WindowStart = 1_795_000_020_000;
    private static readonly CounterCheck Check = new("k", RlsAlgorithm.FixedWindow, 10, 60_000, 1);

    [Fact]
    public void TryGet_SameWindowSameLimit_ReturnsOverLimitWithTimeToWindowEnd()
    {
        var cache = new OverLimitCache();
        cache.Add(Check, WindowStart, 11);

        Assert.True(cache.TryGet(Check, WindowStart + 15_000, out var result));
        Assert.Equal(new CounterResult(false, 0, 45_000, 11), result);
    }

    [Theory]
    [InlineData(60_000, 10, 60_000)]
    [InlineData(0, 20, 60_000)]
    [InlineData(0, 10, 1_000)]
    [InlineData(-1, 10, 60_000)]
    public void TryGet_OtherWindowOrChangedLimit_Misses(long offset, long limit, long windowMs)
    {
        var cache = new OverLimitCache();
        cache.Add(Check, WindowStart, 11);

        Assert.False(cache.TryGet(Check with { Limit = limit, WindowMs = windowMs }, WindowStart + offset, out _));
    }

    [Fact]
    public void Add_Full_SweepsEndedWindowsAndSkipsNewKeysWhileStillFull()
    {
        var cache = new OverLimitCache();
        for (var i = 0; i < OverLimitCache.MaxEntries; i++)
        {
            cache.Add(Check with { Key = "old" + i }, WindowStart, 11);
        }

        cache.Add(Check with { Key = "same-window" }, WindowStart, 11);
        Assert.Equal(OverLimitCache.MaxEntries, cache.Count);
        Assert.False(cache.TryGet(Check with { Key = "same-window" }, WindowStart, out _));

        cache.Add(Check with { Key = "next-window" }, WindowStart + 60_000, 11);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(Check with { Key = "next-window" }, WindowStart + 60_000, out _));
    }
}

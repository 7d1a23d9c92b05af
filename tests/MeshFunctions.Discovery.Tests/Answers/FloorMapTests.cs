using MeshFunctions.Discovery.Cluster;

namespace MeshFunctions.Discovery.Tests.Answers;

public sealed class FloorMapTests
{
    [Theory]
    [InlineData("shop/web", "shop.web")]
    [InlineData("shop/api.v2", "shop.api.v2")]
    [InlineData("switch", "switch")]
    public void DataKey_RoundTrips(string cacheKey, string dataKey)
    {
        Assert.Equal(dataKey, FloorMap.DataKey(cacheKey));
        Assert.Equal(cacheKey, FloorMap.CacheKey(dataKey));
    }

    [Theory]
    [InlineData("noDot")]
    [InlineData(".web")]
    [InlineData("shop.")]
    public void CacheKey_Malformed_Null(string dataKey) => Assert.Null(FloorMap.CacheKey(dataKey));

    [Fact]
    public void Read_SkipsMalformedKeysAndValues()
    {
        var floors = FloorMap.Read(new Dictionary<string, string> { ["shop.web"] = "42", ["shop.a"] = "-1", ["shop.b"] = "x", ["bad"] = "7", ["shop.c"] = "0", ["switch"] = "9" });

        Assert.Equal(new Dictionary<string, ulong> { ["shop/web"] = 42, ["switch"] = 9 }, floors);
    }

    [Fact]
    public void Merge_RaisesNeverLowersDropsRedundantAndCaps()
    {
        var stored = new Dictionary<string, ulong> { ["shop/a"] = 10, ["shop/b"] = 50, ["shop/c"] = 30, ["shop/live"] = 5 };
        var pending = new Dictionary<string, ulong> { ["shop/a"] = 40, ["shop/b"] = 20, ["shop/d"] = 60 };

        var merged = FloorMap.Merge(stored, pending, (key, floor) => key == "shop/live", limit: 3);

        Assert.Equal(new Dictionary<string, string> { ["shop.d"] = "60", ["shop.b"] = "50", ["shop.a"] = "40" }, merged);
    }
}

using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Core.Tests.RateLimiting;

/// <summary>Deep equality for the RLS model (its records hold lists, which compare by reference).</summary>
internal static class RlsModelAssert
{
    public static void Equal(RlsConfig expected, RlsConfig actual)
    {
        Assert.Equal(expected.Domain, actual.Domain);
        Equal(expected.Descriptors, actual.Descriptors, "descriptors");
    }

    private static void Equal(IReadOnlyList<RlsDescriptor> expected, IReadOnlyList<RlsDescriptor> actual, string path)
    {
        Assert.True(expected.Count == actual.Count, $"{path}: expected {expected.Count} descriptors, got {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var at = $"{path}[{i}]";
            Assert.True(e with { Limits = [], Descriptors = [], Metadata = null } == a with { Limits = [], Descriptors = [], Metadata = null }, $"{at}: expected {e}, got {a}");
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(e.Metadata, a.Metadata), $"{at}.metadata: expected {e.Metadata?.ToJsonString()}, got {a.Metadata?.ToJsonString()}");
            Assert.True(e.Limits.Count == a.Limits.Count, $"{at}: expected {e.Limits.Count} limits, got {a.Limits.Count}");
            for (var j = 0; j < e.Limits.Count; j++)
            {
                Assert.True(e.Limits[j] with { Replaces = [] } == a.Limits[j] with { Replaces = [] }, $"{at}.limits[{j}]: expected {e.Limits[j]}, got {a.Limits[j]}");
                Assert.Equal(e.Limits[j].Replaces, a.Limits[j].Replaces);
            }

            Equal(e.Descriptors, a.Descriptors, at + ".descriptors");
        }
    }
}

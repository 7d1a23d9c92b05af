using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Yaml;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("yes")]
    [InlineData("1.0")]
    [InlineData("0x1F")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("- x")]
    [InlineData("null")]
    [InlineData("*")]
    [InlineData("./*")]
    [InlineData("line\nbreak")]
    [InlineData("2024-01-01")]
    [InlineData("type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit")]
    public void Write_ThenRead_RoundTripsStrings(string value)
    {
        var node = new JsonObject { ["k"] = value, ["list"] = new JsonArray(value, new JsonObject { ["x"] = value }) };

        var yaml = YamlWriter.Write(node);
        var back = YamlReader.Read(yaml).Single().Root!;

        Assert.True(JsonNode.DeepEquals(node, back), yaml);
    }

    [Fact]
    public void Write_NestedObjectsAndLists_BlockStyle()
    {
        var node = JsonNode.Parse("""{"a":{"b":[{"c":1,"d":[true,false]},"e"],"f":{},"g":[]}}""");

        Assert.Equal("a:\n  b:\n  - c: 1\n    d:\n    - true\n    - false\n  - e\n  f: {}\n  g: []\n", YamlWriter.Write(node));
    }
}

using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class JsonShapeTests
{
    [Theory]
    [InlineData("""{"A":[]}""", """{"A":null}""", "$.A: expected array, got null")]
    [InlineData("""{"A":1,"B":""}""", """{"A":1}""", "$.B: missing")]
    [InlineData("""{"A":1}""", """{"A":1,"C":true}""", "$.C: not in the real shape")]
    [InlineData("""[{"A":"x"}]""", """[{"A":2}]""", "$[0].A: expected string, got number")]
    public void Differences_ShapeMismatch_Reported(string expected, string actual, string difference) =>
        Assert.Equal([difference], JsonShape.Differences(JsonNode.Parse(expected), JsonNode.Parse(actual)));

    [Fact]
    public void Differences_MapsWithOtherKeys_Ignored() =>
        Assert.Empty(JsonShape.Differences(JsonNode.Parse("""{"Meta":{"a":"1"}}"""), JsonNode.Parse("""{"Meta":{"b":"2"}}""")));
}

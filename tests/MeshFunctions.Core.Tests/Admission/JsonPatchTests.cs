using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("sidecar.istio.io/inject", "sidecar.istio.io~1inject")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~1", "~01")]
    [InlineData("/~", "~1~0")]
    [InlineData("plain", "plain")]
    public void Escape_SpecialCharacters_Rfc6901(string token, string escaped)
    {
        Assert.Equal(escaped, JsonPatch.Escape(token));
        Assert.Equal(token, JsonPatch.Unescape(escaped));
    }

    [Fact]
    public void Apply_AddToObjectAndArray_InsertsValues()
    {
        var doc = JsonNode.Parse("""{"a":{"b~c/d":1},"list":[1,3]}""");
        var patch = new[]
        {
            JsonPatchOperation.Add("/a/x", "y"),
            JsonPatchOperation.Add("/list/1", 2),
            JsonPatchOperation.Add("/list/-", 4),
            JsonPatchOperation.Replace("/a/b~0c~1d", 9),
        };

        var result = JsonPatch.Apply(doc, patch);

        Assert.Equal("""{"a":{"b~c/d":9,"x":"y"},"list":[1,2,3,4]}""", result!.ToJsonString());
        Assert.Equal("""{"a":{"b~c/d":1},"list":[1,3]}""", doc!.ToJsonString());
    }

    [Fact]
    public void Apply_RemoveMoveCopyTest_FollowRfc6902()
    {
        var doc = JsonNode.Parse("""{"a":1,"b":{"c":[5,6]},"d":"x"}""");
        var patch = JsonPatch.Parse("""
            [{"op":"test","path":"/a","value":1},
             {"op":"remove","path":"/b/c/0"},
             {"op":"move","from":"/d","path":"/b/d"},
             {"op":"copy","from":"/b/c","path":"/e"}]
            """);

        var result = JsonPatch.Apply(doc, patch);

        Assert.Equal("""{"a":1,"b":{"c":[6],"d":"x"},"e":[6]}""", result!.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", "[0] remove /missing: member 'missing' does not exist")]
    [InlineData("""[{"op":"add","path":"/list/5","value":1}]""", "[0] add /list/5: index 5 is out of range (array length 2)")]
    [InlineData("""[{"op":"add","path":"/list/01","value":1}]""", "[0] add /list/01: '01' is not an array index")]
    [InlineData("""[{"op":"test","path":"/list/0","value":2}]""", "[0] test /list/0: test failed: the value differs")]
    [InlineData("""[{"op":"add","path":"/a/b/c","value":1}]""", "[0] add /a/b/c: member 'a' does not exist")]
    [InlineData("""[{"op":"add","path":"x","value":1}]""", "[0] add x: 'x' is not a JSON Pointer (must start with '/')")]
    [InlineData("""[{"op":"frob","path":"/x"}]""", "[0] frob /x: unknown op 'frob' (expected add, remove, replace, move, copy or test)")]
    [InlineData("""[{"op":"move","from":"/list","path":"/list/0"}]""", "[0] move /list/0: cannot move '/list' into its own child")]
    public void Apply_InvalidOperation_ThrowsNamingOperationAndPath(string patch, string message)
    {
        var doc = JsonNode.Parse("""{"list":[1,2]}""");

        var ex = Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, JsonPatch.Parse(patch)));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("{}", "a JSON Patch must be a JSON array of operations")]
    [InlineData("[1]", "[0]: each operation needs string 'op' and 'path' members")]
    [InlineData("""[{"op":"add","path":"/a"}]""", "[0]: 'add' needs a 'value' member")]
    [InlineData("""[{"op":"copy","path":"/a"}]""", "[0]: 'copy' needs a 'from' member")]
    public void Parse_Malformed_ThrowsSpecificError(string text, string message)
    {
        var ex = Assert.Throws<JsonPatchException>(() => JsonPatch.Parse(text));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void ToBase64_Patch_IsBase64OfCompactJsonArray()
    {
        var patch = new[] { JsonPatchOperation.Add("/spec/replicas", 3) };

        var text = Encoding.UTF8.GetString(Convert.FromBase64String(JsonPatch.ToBase64(patch)));

        Assert.Equal("""[{"op":"add","path":"/spec/replicas","value":3}]""", text);
        Assert.Equal(patch[0].Path, JsonPatch.Parse(text).Single().Path);
    }

    [Fact]
    public void Apply_AddNullValue_SetsJsonNull()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("{}"), JsonPatch.Parse("""[{"op":"add","path":"/a","value":null}]"""));

        Assert.Equal("""{"a":null}""", result!.ToJsonString());
    }

    [Fact]
    public void Diff_ThenApply_TurnsAnyTreeIntoAnyOther()
    {
        Gen.Select(Node(3), Node(3)).Sample(pair =>
        {
            var (from, to) = pair;

            var patch = TreeDiff.Diff(from, to);
            var applied = JsonPatch.Apply(from, patch);

            Assert.True(JsonNode.DeepEquals(to, applied), $"{from?.ToJsonString()} -> {to?.ToJsonString()} via {JsonPatch.Serialize(patch)}");
            Assert.Empty(TreeDiff.Diff(to, applied));
        }, iter: 2000);
    }

    private static Gen<JsonNode?> Node(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Int[-3, 3].Select(i => (JsonNode?)i),
            Gen.OneOf<string>("x", "y", "a/b", "~").Select(s => (JsonNode?)s),
            Gen.Bool.Select(b => (JsonNode?)b),
            Gen.Const(() => (JsonNode?)null));
        if (depth == 0)
        {
            return leaf;
        }

        var child = Node(depth - 1);
        var key = Gen.OneOf<string>("a", "b", "c/d", "e~f", "");
        var obj = Gen.Select(key, child).Array[0, 4].Select(members =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in members)
            {
                o[k] = v;
            }

            return (JsonNode?)o;
        });
        var arr = child.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items));
        return Gen.OneOf(leaf, obj, arr);
    }
}

using System.Text.Json;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Yaml;

public sealed class YamlReaderTests
{
    [Fact]
    public void Read_PlainAndQuotedScalars_TypedLikeKubectl()
    {
        var doc = YamlReader.Read("a: 1\nb: '1'\nc: true\nd: yes\ne: \"yes\"\nf: 1.5\ng: ~\nh: v1.0.2\n").Single();
        var o = doc.Root!.AsObject();

        Assert.Equal(JsonValueKind.Number, o["a"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, o["b"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, o["c"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, o["d"]!.GetValueKind());
        Assert.Equal("yes", (string?)o["e"]);
        Assert.Equal(1.5, (double)o["f"]!);
        Assert.Null(o["g"]);
        Assert.Equal("v1.0.2", (string?)o["h"]);
    }

    [Fact]
    public void Read_MultipleDocuments_KeepsOrderAndLines()
    {
        var docs = YamlReader.Read("a: 1\n---\nb:\n  c: 2\n", "f.yaml");

        Assert.Equal(2, docs.Count);
        Assert.Equal(new SourceLocation("f.yaml", 4, 3), docs[1].Locate("b.c"));
        Assert.Equal(4, docs[1].Locate("b.c.missing").Line);
    }

    [Fact]
    public void Read_DuplicateKey_FailsWithLine()
    {
        var ex = Assert.Throws<ManifestException>(() => YamlReader.Read("a: 1\nb: 2\na: 3\n", "x.yaml"));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Contains("duplicate key 'a'", d.Message, StringComparison.Ordinal);
        Assert.Equal(3, d.Location!.Value.Line);
    }

    [Fact]
    public void Read_BrokenSyntax_FailsWithLine()
    {
        var ex = Assert.Throws<ManifestException>(() => YamlReader.Read("a: [1, 2\nb: 3\n", "x.yaml"));

        Assert.StartsWith("x.yaml:", ex.Diagnostics[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AliasBomb_IsRefused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 8; i++)
        {
            yaml += $"l{i}: &l{i} [*{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}, *{(i == 0 ? "a" : "l" + (i - 1))}]\n";
        }

        var ex = Assert.Throws<ManifestException>(() => YamlReader.Read(yaml));

        Assert.Contains("nodes", ex.Diagnostics[0].Message, StringComparison.Ordinal);
    }
}

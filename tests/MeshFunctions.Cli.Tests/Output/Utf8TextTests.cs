using System.Text;
using MeshFunctions.Cli.Output;

namespace MeshFunctions.Cli.Tests.Output;

public sealed class Utf8TextTests
{
    [Fact]
    public void WriteTo_SurrogatePairSplitBetweenAppendsAndTextOverManyChunks_WritesTheSameText()
    {
        var emoji = char.ConvertFromUtf32(0x1F680);
        var parts = new[] { "a: é\n" + emoji[0], emoji[1] + " ü\n", new string('x', 3_000_000) + "ä" + emoji, "end\n" };
        var text = new Utf8Text();
        foreach (var part in parts)
        {
            text.Append(new StringBuilder(part));
        }

        var written = new StringWriter();
        text.WriteTo(written);

        Assert.Equal(string.Concat(parts), written.ToString());
    }
}

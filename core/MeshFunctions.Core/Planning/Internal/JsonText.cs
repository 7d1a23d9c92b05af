using System.Text;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// A constant text (a member name, a label key, a value the rules compare with) with its UTF-8 bytes made once, so that a
/// view over a parsed document looks it up or compares it without transcoding (<see cref="IJsonView{TSelf}"/>).
/// </summary>
internal sealed class JsonText(string text)
{
    public string Text { get; } = text;

    public byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(text);

    public override string ToString() => Text;
}

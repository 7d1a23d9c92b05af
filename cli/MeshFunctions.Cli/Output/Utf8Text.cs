using System.Text;

namespace MeshFunctions.Cli.Output;

/// <summary>
/// Standard output text kept as UTF-8 until it is written: half the memory of .NET's UTF-16 text for the large
/// outputs of <c>inject</c> (75 MB of YAML for a 50 MB input).
/// </summary>
internal sealed class Utf8Text
{
    private const int ChunkSize = 1 << 20;

    private readonly List<(byte[] Bytes, int Length)> _chunks = [];
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

    /// <summary>Appends the text (a surrogate pair split between two appends is kept whole).</summary>
    public void Append(StringBuilder text)
    {
        foreach (var chunk in text.GetChunks())
        {
            Encode(chunk.Span, flush: false);
        }
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Encode([], flush: true);
        if (writer is StreamWriter { Encoding.CodePage: 65001 } utf8)
        {
            // Already the bytes the writer would produce: hand them to its stream as they are.
            utf8.Flush();
            foreach (var (bytes, length) in _chunks)
            {
                utf8.BaseStream.Write(bytes, 0, length);
            }

            utf8.BaseStream.Flush();
            return;
        }

        var chars = new char[Encoding.UTF8.GetMaxCharCount(ChunkSize)];
        foreach (var (bytes, length) in _chunks)
        {
            // Each chunk holds whole UTF-8 sequences: a run of text is never split between chunks.
            var count = Encoding.UTF8.GetChars(bytes.AsSpan(0, length), chars);
            writer.Write(chars.AsSpan(0, count));
        }
    }

    private void Encode(ReadOnlySpan<char> text, bool flush)
    {
        while (true)
        {
            // At most ChunkSize / 4 characters at once, so that they fit in a fresh chunk.
            var part = text[..Math.Min(text.Length, ChunkSize / 4)];
            var needed = Encoding.UTF8.GetMaxByteCount(part.Length + 1);
            if (_chunks.Count == 0 || _chunks[^1].Length + needed > ChunkSize)
            {
                _chunks.Add((new byte[ChunkSize], 0));
            }

            var (bytes, length) = _chunks[^1];
            var last = part.Length == text.Length;
            length += _encoder.GetBytes(part, bytes.AsSpan(length), flush && last);
            _chunks[^1] = (bytes, length);
            if (last)
            {
                return;
            }

            text = text[part.Length..];
        }
    }
}

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// Reads a string from an offset, preceded by as many line breaks as lines come before that offset, so a YAML parser
/// that starts there reports the lines and columns of the whole text. Character indexes are shifted by
/// <see cref="IndexShift"/>: the parser's index <c>i</c> is the text's <c>i + IndexShift</c>.
/// </summary>
internal sealed class LinePaddedReader : TextReader
{
    private readonly string _text;
    private int _padding;
    private int _pos;

    /// <param name="text">The whole text.</param>
    /// <param name="start">Where reading starts (the start of a line).</param>
    /// <param name="line">The 1-based line of <paramref name="start"/>.</param>
    public LinePaddedReader(string text, int start, int line)
    {
        _text = text;
        _pos = start;
        _padding = line - 1;
        IndexShift = start - _padding;
    }

    /// <summary>What to add to an index the parser reports to get the index in the whole text.</summary>
    public long IndexShift { get; }

    public override int Peek() => _padding > 0 ? '\n' : _pos < _text.Length ? _text[_pos] : -1;

    public override int Read()
    {
        if (_padding > 0)
        {
            _padding--;
            return '\n';
        }

        return _pos < _text.Length ? _text[_pos++] : -1;
    }

    public override int Read(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return Read(buffer.AsSpan(index, count));
    }

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        if (_padding > 0)
        {
            var n = Math.Min(_padding, buffer.Length);
            buffer[..n].Fill('\n');
            _padding -= n;
            written = n;
        }

        var take = Math.Min(buffer.Length - written, _text.Length - _pos);
        _text.AsSpan(_pos, take).CopyTo(buffer[written..]);
        _pos += take;
        return written + take;
    }

    public override int ReadBlock(Span<char> buffer) => Read(buffer);

    public override int ReadBlock(char[] buffer, int index, int count) => Read(buffer, index, count);
}

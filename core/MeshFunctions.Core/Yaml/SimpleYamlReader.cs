using System.Text;
using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// A fast reader for the plain subset of YAML that <c>kubectl</c>, Helm and most generators write: printable ASCII,
/// space indentation, block mappings with plain keys, block sequences (also at their key's indentation), single-line plain
/// and quoted scalars, single-line flow collections, comments and bare <c>---</c> separators.
/// </summary>
/// <remarks>
/// It decides nothing about validity: on anything outside that subset (a tab, a block scalar, an anchor, a tag, a
/// multi-line scalar, a duplicate key, a non-ASCII character, a document that is not a mapping ...) it gives up on the
/// whole document without a finding, and <see cref="YamlReader"/> reads that document and the rest of the stream with
/// YamlDotNet, which also gives every error its message and position. A document is handed out only once the reader
/// has reached its end (the next <c>---</c> or the end of the text) without giving up, so the documents before a
/// give-up are exactly the ones YamlDotNet would have produced. Tests compare both readers on generated documents.
/// </remarks>
internal sealed class SimpleYamlReader
{
    /// <summary>Characters that give a scalar another meaning at its start (YAML's indicators).</summary>
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    /// <summary>Keys are interned up to this many distinct ones (manifests repeat a few hundred keys millions of times).</summary>
    private const int MaxInternedKeys = 8192;

    private static readonly GiveUpException GiveUpSignal = new();

    private readonly string _text;
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _keyLookup;
    private StringBuilder? _scratch;
    private int _pos;
    private int _line = 1;
    private int _scanned = -1;
    private int _indent;
    private int _end;
    private long _nodes;

    public SimpleYamlReader(string text)
    {
        _text = text;
        _keyLookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Outcome
    {
        /// <summary>A document was read.</summary>
        Document,

        /// <summary>The stream holds no more documents.</summary>
        End,

        /// <summary>The next document is outside the subset: read the stream from <see cref="ResumeIndex"/> on with a full parser.</summary>
        GaveUp,
    }

    /// <summary>Where the document this reader gave up on (or the next one) begins: the start of a line.</summary>
    public int ResumeIndex { get; private set; }

    /// <summary>The 1-based line of <see cref="ResumeIndex"/>.</summary>
    public int ResumeLine { get; private set; } = 1;

    /// <summary>
    /// Reads the next document. <paramref name="startIndex"/>/<paramref name="startLine"/>: where its content starts
    /// (column 1); <paramref name="endIndex"/>: the index just after it (the next separator line, or the end of the text).
    /// </summary>
    public Outcome Next(out JsonNode? root, out int startIndex, out int startLine, out int endIndex)
    {
        root = null;
        (startIndex, startLine, endIndex) = (0, 0, 0);
        ResumeIndex = _pos;
        ResumeLine = _line;
        try
        {
            _nodes = 0;
            if (!SkipToContent())
            {
                return Outcome.End;
            }

            var separated = false;
            if (IsMarker())
            {
                if (!_text.AsSpan(_pos + 3, _end - _pos - 3).Trim(' ').IsEmpty)
                {
                    throw GiveUpSignal; // content or a comment after "---"
                }

                separated = true;
                Advance();
            }

            if (!SkipToContent() || IsMarker())
            {
                if (!separated)
                {
                    throw GiveUpSignal;
                }

                if (_pos >= _text.Length && _text[^1] != '\n')
                {
                    throw GiveUpSignal; // no line break at the end: YamlDotNet places the empty document itself
                }

                // "---" followed by nothing: an empty document, placed (as YamlDotNet does) just after the start of the next line with content.
                (startIndex, startLine, endIndex) = (_pos, _line, _pos);
                return Outcome.Document;
            }

            if (_indent != 0 || !IsKeyAt(_pos))
            {
                throw GiveUpSignal; // an indented root, or one that is not a mapping: rare, and not a manifest
            }

            (startIndex, startLine) = (_pos, _line);
            root = ParseMapping(0, 1, _pos);
            endIndex = _pos;
            return Outcome.Document;
        }
        catch (GiveUpException)
        {
            root = null;
            return Outcome.GaveUp;
        }
    }

    private JsonObject ParseMapping(int indent, int depth, int keyAt)
    {
        CheckDepth(depth);
        var obj = new JsonObject();
        while (true)
        {
            var key = ReadKey(keyAt, out var afterColon);
            var i = SkipSpaces(afterColon);
            JsonNode? value;
            if (i == _end || _text[i] == '#')
            {
                Advance();
                if (!SkipToContent() || IsMarker())
                {
                    value = null;
                }
                else if (_indent > indent)
                {
                    value = ParseBlock(depth + 1);
                }
                else if (_indent == indent && IsSequenceEntry(_pos + _indent))
                {
                    value = ParseSequence(indent, depth + 1); // kubectl style: the list at its key's indentation
                }
                else
                {
                    value = null;
                }
            }
            else
            {
                value = InlineValue(i, depth + 1, indent);
            }

            Count();
            if (!obj.TryAdd(key, value))
            {
                throw GiveUpSignal; // duplicate key: YamlDotNet's reading reports it with its line
            }

            if (_pos >= _text.Length || IsMarker() || _indent < indent)
            {
                return obj;
            }

            if (_indent > indent)
            {
                throw GiveUpSignal;
            }

            keyAt = _pos + _indent;
        }
    }

    private JsonArray ParseSequence(int indent, int depth)
    {
        CheckDepth(depth);
        var array = new JsonArray();
        while (true)
        {
            var dash = _pos + _indent;
            var i = dash + 1;
            if (i < _end && _text[i] != ' ')
            {
                throw GiveUpSignal;
            }

            i = SkipSpaces(i);
            JsonNode? item;
            if (i == _end || _text[i] == '#')
            {
                Advance();
                item = !SkipToContent() || IsMarker() || _indent <= indent ? null : ParseBlock(depth + 1);
            }
            else if (IsSequenceEntry(i))
            {
                throw GiveUpSignal; // "- - x"
            }
            else if (IsKeyAt(i))
            {
                item = ParseMapping(i - _pos, depth + 1, i); // "- name: x": a mapping whose indentation is its first key's column
            }
            else
            {
                item = InlineValue(i, depth + 1, indent);
            }

            Count();
            array.Add(item);
            if (_pos >= _text.Length || IsMarker() || _indent < indent)
            {
                return array;
            }

            if (_indent > indent)
            {
                throw GiveUpSignal;
            }

            if (!IsSequenceEntry(_pos + _indent))
            {
                return array; // the next key of the mapping this list is the value of
            }
        }
    }

    /// <summary>A block node starting on the current line, at its indentation.</summary>
    private JsonNode ParseBlock(int depth)
    {
        var at = _pos + _indent;
        if (IsSequenceEntry(at))
        {
            return ParseSequence(_indent, depth);
        }

        if (!IsKeyAt(at))
        {
            throw GiveUpSignal; // a scalar on its own line (multi-line plain scalar), or something else
        }

        return ParseMapping(_indent, depth, at);
    }

    /// <summary>A value on the same line as its key or dash; the line must end after it, and the next one must not be a continuation.</summary>
    private JsonNode? InlineValue(int i, int depth, int parentIndent)
    {
        JsonNode? value;
        int after;
        switch (_text[i])
        {
            case '"' or '\'':
                value = JsonValue.Create(Quoted(i, out after));
                break;
            case '[':
                value = FlowSequence(i, depth, out after);
                break;
            case '{':
                value = FlowMapping(i, depth, out after);
                break;
            default:
                value = PlainBlockScalar(i);
                after = _end;
                break;
        }

        var j = SkipSpaces(after);
        if (j != _end && !(_text[j] == '#' && j > after))
        {
            throw GiveUpSignal; // more after a quoted scalar or a flow collection
        }

        Advance();
        if (SkipToContent() && !IsMarker() && _indent > parentIndent)
        {
            throw GiveUpSignal; // a continuation line (multi-line scalar) or a misplaced block
        }

        return value;
    }

    private JsonNode? PlainBlockScalar(int i)
    {
        var span = _text.AsSpan(i, _end - i);
        var hash = span.IndexOf(" #", StringComparison.Ordinal);
        if (hash >= 0)
        {
            span = span[..hash];
        }

        span = span.TrimEnd(' ');
        if (!PlainStart(span) || span[^1] == ':' || span.Contains(": ", StringComparison.Ordinal) || span.IndexOfAny("[]{}") >= 0)
        {
            throw GiveUpSignal;
        }

        return Plain(span);
    }

    private JsonArray FlowSequence(int i, int depth, out int after)
    {
        CheckDepth(depth);
        var array = new JsonArray();
        i = SkipSpaces(i + 1);
        if (i < _end && _text[i] == ']')
        {
            after = i + 1;
            return array;
        }

        while (true)
        {
            Count();
            array.Add(FlowNode(i, depth + 1, out i));
            if (FlowNext(ref i, ']'))
            {
                after = i;
                return array;
            }
        }
    }

    private JsonObject FlowMapping(int i, int depth, out int after)
    {
        CheckDepth(depth);
        var obj = new JsonObject();
        i = SkipSpaces(i + 1);
        if (i < _end && _text[i] == '}')
        {
            after = i + 1;
            return obj;
        }

        while (true)
        {
            var colon = _text.IndexOf(':', i, _end - i);
            if (colon < 0 || colon + 1 >= _end || _text[colon + 1] != ' ')
            {
                throw GiveUpSignal;
            }

            var keySpan = _text.AsSpan(i, colon - i);
            if (!PlainStart(keySpan) || keySpan[^1] == ' ' || keySpan.IndexOfAny(",[]{}#\"'") >= 0)
            {
                throw GiveUpSignal;
            }

            var key = Key(keySpan);
            Count();
            if (!obj.TryAdd(key, FlowNode(SkipSpaces(colon + 1), depth + 1, out i)))
            {
                throw GiveUpSignal;
            }

            if (FlowNext(ref i, '}'))
            {
                after = i;
                return obj;
            }
        }
    }

    /// <summary>After a flow entry: true past the closing bracket, false past a comma with another entry ahead.</summary>
    private bool FlowNext(ref int i, char close)
    {
        i = SkipSpaces(i);
        if (i < _end && _text[i] == close)
        {
            i++;
            return true;
        }

        if (i >= _end || _text[i] != ',')
        {
            throw GiveUpSignal; // not closed on this line, or something unexpected
        }

        i = SkipSpaces(i + 1);
        if (i >= _end || _text[i] == close || _text[i] == ',')
        {
            throw GiveUpSignal; // a trailing or doubled comma
        }

        return false;
    }

    private JsonNode? FlowNode(int i, int depth, out int after)
    {
        if (i >= _end)
        {
            throw GiveUpSignal;
        }

        switch (_text[i])
        {
            case '"' or '\'':
                return JsonValue.Create(Quoted(i, out after));
            case '[':
                return FlowSequence(i, depth, out after);
            case '{':
                return FlowMapping(i, depth, out after);
        }

        var end = _text.AsSpan(i, _end - i).IndexOfAny(",]}");
        after = end < 0 ? _end : i + end;
        var span = _text.AsSpan(i, after - i).TrimEnd(' ');
        if (!PlainStart(span) || span.IndexOfAny(":#[{\"'") >= 0)
        {
            throw GiveUpSignal;
        }

        return Plain(span);
    }

    /// <summary>A single-line quoted scalar starting at <paramref name="i"/>; <paramref name="after"/> is past its closing quote.</summary>
    private string Quoted(int i, out int after)
    {
        var quote = _text[i];
        var start = i + 1;
        var stop = _text.AsSpan(start, _end - start).IndexOfAny(quote, '\\');
        if (stop >= 0 && _text[start + stop] == quote && (quote == '"' || start + stop + 1 >= _end || _text[start + stop + 1] != '\''))
        {
            after = start + stop + 1;
            return _text.Substring(start, stop);
        }

        // Escapes (double-quoted) or doubled quotes (single-quoted): build the value.
        var sb = _scratch ??= new StringBuilder();
        sb.Clear();
        var j = start;
        while (true)
        {
            if (j >= _end)
            {
                throw GiveUpSignal; // not closed on this line
            }

            var c = _text[j];
            if (quote == '\'' && c == '\'')
            {
                if (j + 1 < _end && _text[j + 1] == '\'')
                {
                    sb.Append('\'');
                    j += 2;
                    continue;
                }

                after = j + 1;
                return sb.ToString();
            }

            if (quote == '"' && c == '"')
            {
                after = j + 1;
                return sb.ToString();
            }

            if (quote == '"' && c == '\\')
            {
                if (j + 1 >= _end)
                {
                    throw GiveUpSignal;
                }

                sb.Append(_text[j + 1] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    _ => throw GiveUpSignal,
                });
                j += 2;
                continue;
            }

            sb.Append(c);
            j++;
        }
    }

    private JsonNode? Plain(ReadOnlySpan<char> span)
    {
        if (!YamlReader.TryConvertPlain(span, null, out var node))
        {
            throw GiveUpSignal; // .inf and .nan: YamlDotNet's reading explains why they cannot be JSON
        }

        return node;
    }

    /// <summary>The key of a <c>key: value</c> or <c>key:</c> line starting at <paramref name="i"/>; gives up when the line is not one.</summary>
    private string ReadKey(int i, out int afterColon)
    {
        var colon = KeyColon(i);
        if (colon < 0)
        {
            throw GiveUpSignal;
        }

        var span = _text.AsSpan(i, colon - i);
        if (span[^1] == ' ' || span.Length > 1000 || span.IndexOfAny(",[]{}#\"'") >= 0)
        {
            throw GiveUpSignal;
        }

        afterColon = colon + 1;
        return Key(span);
    }

    private string Key(ReadOnlySpan<char> span)
    {
        if (_keyLookup.TryGetValue(span, out var key))
        {
            return key;
        }

        key = span.ToString();
        if (_keys.Count < MaxInternedKeys)
        {
            _keys[key] = key;
        }

        return key;
    }

    private bool IsKeyAt(int i) => KeyColon(i) >= 0;

    /// <summary>The colon ending a plain key at <paramref name="i"/> (followed by a space or the line end), or -1.</summary>
    private int KeyColon(int i)
    {
        if (i >= _end || Indicators.Contains(_text[i], StringComparison.Ordinal))
        {
            return -1;
        }

        var j = i;
        while (true)
        {
            var k = _text.AsSpan(j, _end - j).IndexOfAny(':', '#');
            if (k < 0)
            {
                return -1;
            }

            j += k;
            if (_text[j] == '#')
            {
                if (_text[j - 1] == ' ')
                {
                    return -1; // a comment before any key colon
                }
            }
            else if (j + 1 == _end || _text[j + 1] == ' ')
            {
                return j == i ? -1 : j;
            }

            j++;
        }
    }

    private bool IsSequenceEntry(int i) => i < _end && _text[i] == '-' && (i + 1 == _end || _text[i + 1] == ' ');

    /// <summary>A plain scalar may start here: not empty, not an indicator (a dash only before a non-space).</summary>
    private static bool PlainStart(ReadOnlySpan<char> span) =>
        !span.IsEmpty && (!Indicators.Contains(span[0], StringComparison.Ordinal) || (span[0] == '-' && span.Length > 1 && span[1] != ' '));

    private int SkipSpaces(int i)
    {
        while (i < _end && _text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// True when the current line is a <c>---</c> separator (column 1, followed by a space or the line end). A <c>...</c>
    /// document end gives up: YamlDotNet reads it (and what follows) itself.
    /// </summary>
    private bool IsMarker()
    {
        if (_pos >= _text.Length || _indent != 0 || _end - _pos < 3 || (_end - _pos > 3 && _text[_pos + 3] != ' '))
        {
            return false;
        }

        var three = _text.AsSpan(_pos, 3);
        if (three.SequenceEqual("..."))
        {
            throw GiveUpSignal;
        }

        return three.SequenceEqual("---");
    }

    /// <summary>Moves to the next line with content (blank and comment-only lines skipped); false at the end of the text.</summary>
    private bool SkipToContent()
    {
        while (_pos < _text.Length)
        {
            Scan();
            var first = _pos + _indent;
            if (first < _end && _text[first] != '#')
            {
                return true;
            }

            Advance();
        }

        return false;
    }

    /// <summary>Measures the current line (indentation, end); gives up on any character outside printable ASCII (tabs, CR, BOM ...).</summary>
    private void Scan()
    {
        if (_scanned == _pos)
        {
            return;
        }

        var rest = _text.AsSpan(_pos);
        var indent = rest.IndexOfAnyExcept(' ');
        var other = rest.IndexOfAnyExceptInRange(' ', '~');
        if (other >= 0 && rest[other] != '\n')
        {
            throw GiveUpSignal;
        }

        _end = other < 0 ? _text.Length : _pos + other;
        _indent = indent < 0 || _pos + indent > _end ? _end - _pos : indent;
        _scanned = _pos;
    }

    private void Advance()
    {
        _pos = _end < _text.Length ? _end + 1 : _text.Length;
        _line++;
        if (_pos < _text.Length)
        {
            Scan();
        }
        else
        {
            (_end, _indent) = (_pos, 0);
        }
    }

    private static void CheckDepth(int depth)
    {
        if (depth >= YamlReader.MaxDepth)
        {
            throw GiveUpSignal;
        }
    }

    private void Count()
    {
        if (++_nodes >= YamlReader.MaxNodes)
        {
            throw GiveUpSignal;
        }
    }

    /// <summary>Thrown (one shared instance, at most once per stream) to leave the document being read.</summary>
    private sealed class GiveUpException : Exception
    {
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshFunctions.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// Reads multi-document YAML into JSON the way <c>kubectl</c> reads manifests: plain (unquoted)
/// scalars become null, booleans (YAML 1.1 spellings included: <c>yes/no/on/off</c>) or numbers;
/// quoted scalars always stay strings. Duplicate keys, non-scalar keys and oversized or too-deep
/// documents are errors, reported with their line.
/// </summary>
/// <remarks>
/// The JSON is built straight from the parser's events, one document at a time: the nesting depth and the
/// node count (aliases included) are checked as each event arrives, so a hostile document is refused before
/// it is materialised, and the reader never recurses deeper than <see cref="MaxDepth"/>. Source positions
/// are not kept while reading (they would cost more memory than the document); a document re-reads its own
/// text the first time a finding asks for a line.
/// </remarks>
public static partial class YamlReader
{
    /// <summary>Deepest nesting accepted (the API server's JSON limit is far higher; manifests never need it).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes accepted in one document, after alias expansion (guards against "billion laughs").</summary>
    public const int MaxNodes = 2_000_000;

    /// <summary>Reads every document of <paramref name="text"/>; throws <see cref="ManifestException"/> at the first YAML error.</summary>
    public static IReadOnlyList<SourceDocument> Read(string text, string? file = null) => [.. ReadEach(text, file)];

    /// <summary>
    /// Reads the documents one by one, so a caller that does not keep them holds only one at a time. Throws
    /// <see cref="ManifestException"/> when it reaches a YAML error (the documents before it were yielded).
    /// </summary>
    public static IEnumerable<SourceDocument> ReadEach(string text, string? file = null) => ReadEach(text, file, simple: true);

    /// <summary>
    /// <paramref name="simple"/>: documents in the plain subset most tools write are read by <see cref="SimpleYamlReader"/>
    /// (several times faster); from the first document outside it, YamlDotNet reads the rest. False: YamlDotNet reads all
    /// (tests compare both).
    /// </summary>
    internal static IEnumerable<SourceDocument> ReadEach(string text, string? file, bool simple)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = 0;
        var (resume, resumeLine) = (0, 1);
        if (simple)
        {
            var reader = new SimpleYamlReader(text);
            while (true)
            {
                var outcome = reader.Next(out var root, out var startIndex, out var startLine, out var endIndex);
                if (outcome == SimpleYamlReader.Outcome.End)
                {
                    yield break;
                }

                if (outcome == SimpleYamlReader.Outcome.GaveUp)
                {
                    (resume, resumeLine) = (reader.ResumeIndex, reader.ResumeLine);
                    break;
                }

                var start = new Mark(startIndex, startLine, 1);
                var location = new SourceLocation(file, startLine, root is null ? 2 : 1);
                yield return new SourceDocument(root, file, index, location, () => Locations(text, file, start, endIndex));
                index++;
            }
        }

        // YamlDotNet reads from where the simple reader stopped; the padding keeps its lines and columns the whole text's.
        var input = new LinePaddedReader(text, resume, resumeLine);
        var parser = new Parser(input);
        while (true)
        {
            SourceDocument? document;
            try
            {
                document = NextDocument(parser, text, file, index, input.IndexShift);
            }
            catch (YamlException ex)
            {
                throw new ManifestException(SyntaxError(ex, file, text));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                // YamlDotNet reports a few syntax errors (an unclosed flow collection) this way, without a
                // position; the parser's last event is where it stopped.
                var mark = parser.Current?.Start;
                throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, "invalid YAML: unexpected content (an unclosed bracket or quote?)")
                {
                    Location = new SourceLocation(file, (int)(mark?.Line ?? 1), (int)(mark?.Column ?? 1)),
                    Code = DiagnosticCodes.Syntax,
                });
            }

            if (document is null)
            {
                yield break;
            }

            yield return document;
            index++;
        }
    }

    /// <summary>
    /// The positions of every field of one document, read again from its own slice of the text (see
    /// <see cref="SourceDocument.Locate"/>); lines and columns are shifted back to the whole text's.
    /// </summary>
    internal static Dictionary<string, SourceLocation> Locations(string text, string? file, Mark start, long end)
    {
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        try
        {
            var slice = text.Substring((int)start.Index, (int)(Math.Min(end, text.Length) - start.Index));
            var builder = new Builder(file, locations) { Shift = start };
            builder.ReadDocument(new Parser(new StringReader(slice)));
        }
        catch (Exception ex) when (ex is YamlException or ManifestException or InvalidOperationException or ArgumentException)
        {
            // The document was read once without error; the positions found so far are still right.
        }

        return locations;
    }

    private static SourceDocument? NextDocument(Parser parser, string text, string? file, int index, long indexShift)
    {
        var builder = new Builder(file, locations: null);
        if (!builder.ReadDocument(parser))
        {
            return null;
        }

        var mark = builder.StartMark;
        var (start, end) = (new Mark(mark.Index + indexShift, mark.Line, mark.Column), builder.EndIndex + indexShift);
        return new SourceDocument(builder.Root, file, index, builder.Start, () => Locations(text, file, start, end));
    }

    private static Diagnostic SyntaxError(YamlException ex, string? file, string text)
    {
        var reason = CleanMessage(ex);
        var message = reason.StartsWith("Duplicate key ", StringComparison.Ordinal)
            ? $"duplicate key '{reason["Duplicate key ".Length..]}'"
            : "invalid YAML: " + Explain(reason);
        return new Diagnostic(Severity.Error, string.Empty, message)
        {
            Location = reason.Contains("tab", StringComparison.OrdinalIgnoreCase)
                ? new SourceLocation(file, TabLine(text, (int)ex.Start.Line), 1) // the tab itself, not the mapping it breaks
                : new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column),
            Code = DiagnosticCodes.Syntax,
        };
    }

    /// <summary>The first line at or after <paramref name="from"/> indented with a tab (YamlDotNet reports where the broken mapping starts).</summary>
    private static int TabLine(string text, int from)
    {
        var line = 1;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            var span = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
            var indent = span[..(span.Length - span.TrimStart(" \t").Length)];
            if (line >= from && indent.Contains('\t'))
            {
                return line;
            }

            if (end < 0)
            {
                break;
            }

            start = end + 1;
            line++;
        }

        return from;
    }

    private static string Explain(string reason) =>
        reason.Contains("tab", StringComparison.OrdinalIgnoreCase) || reason.Contains("While scanning for the next token, found character that cannot start any token", StringComparison.Ordinal)
            ? reason + " (YAML does not allow tabs for indentation)"
            : reason;

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(idx + 3)..] : message;
    }

    private static JsonNode? ConvertScalar(Scalar scalar, PathBuilder path, string? file)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str")
        {
            return JsonValue.Create(value);
        }

        if (scalar.Style != ScalarStyle.Plain && tag is null)
        {
            return JsonValue.Create(value);
        }

        if (!TryConvertPlain(value, value, out var node))
        {
            throw Fail(file, scalar.Start, path.ToString(), $"'{value}' cannot be represented in JSON; quote it if a string is meant");
        }

        return node;
    }

    /// <summary>
    /// The JSON value of a plain (unquoted, untagged) scalar: null, a boolean, a number or a string. False for the special
    /// floats (<c>.inf</c>, <c>.nan</c>), which JSON cannot hold. The string is allocated only for a string value.
    /// </summary>
    internal static bool TryConvertPlain(ReadOnlySpan<char> value, string? text, out JsonNode? node)
    {
        node = null;
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return true;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                node = JsonValue.Create(true);
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                node = JsonValue.Create(false);
                return true;
        }

        // Every number (and hex, and the special floats) starts with a sign, a digit or a dot; most strings do not.
        if (!char.IsAsciiDigit(value[0]) && value[0] is not ('-' or '+' or '.'))
        {
            node = JsonValue.Create(text ?? value.ToString());
            return true;
        }

        if (IntPattern().IsMatch(value))
        {
            ReadOnlySpan<char> clean = value.Contains('_') ? value.ToString().Replace("_", string.Empty, StringComparison.Ordinal) : value;
            if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                node = JsonValue.Create(l);
                return true;
            }

            if (decimal.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            {
                node = JsonValue.Create(big);
                return true;
            }
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            node = JsonValue.Create(hex);
            return true;
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            node = JsonValue.Create(d);
            return true;
        }

        if (value is ".inf" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".Inf" or "-.Inf")
        {
            return false;
        }

        node = JsonValue.Create(text ?? value.ToString());
        return true;
    }

    private static ManifestException Fail(string? file, Mark mark, string path, string message, string code = DiagnosticCodes.Syntax) =>
        new(new Diagnostic(Severity.Error, path, message)
        {
            Location = new SourceLocation(file, (int)mark.Line, (int)mark.Column),
            Code = code,
        });

    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    /// <summary>Builds one document from parser events, checking depth and node count as it goes.</summary>
    private sealed class Builder
    {
        private readonly string? _file;
        private readonly Dictionary<string, SourceLocation>? _locations;
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private readonly PathBuilder _path = new();
        private long _nodes;

        public Builder(string? file, Dictionary<string, SourceLocation>? locations)
        {
            _file = file;
            _locations = locations;
        }

        public JsonNode? Root { get; private set; }

        public SourceLocation Start { get; private set; }

        /// <summary>Where the document's events begin in the text.</summary>
        public Mark StartMark { get; private set; } = Mark.Empty;

        /// <summary>The character index just after the document.</summary>
        public long EndIndex { get; private set; }

        /// <summary>When reading a slice of the text: where the slice starts, to shift positions back.</summary>
        public Mark? Shift { get; init; }

        /// <summary>Reads the next document; false at the end of the stream.</summary>
        public bool ReadDocument(IParser parser)
        {
            parser.TryConsume<StreamStart>(out _);
            if (parser.TryConsume<StreamEnd>(out _) || parser.Current is null)
            {
                return false;
            }

            StartMark = parser.Consume<DocumentStart>().Start;
            var first = parser.Current!;
            Start = Location(first.Start);
            Root = ReadNode(parser, 0, out _);
            EndIndex = parser.Consume<DocumentEnd>().End.Index;
            return true;
        }

        private JsonNode? ReadNode(IParser parser, int depth, out int height)
        {
            var current = parser.Current ?? throw new InvalidOperationException("unexpected end of YAML");
            Count(current.Start, 1);
            Record(current.Start);
            height = 0;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return Expand(alias, depth, out height);
                case Scalar scalar:
                {
                    parser.MoveNext();
                    var value = ConvertScalar(scalar, _path, _file);
                    Remember(scalar.Anchor, value, 1, 0);
                    return value;
                }

                case SequenceStart start:
                {
                    CheckDepth(start.Start, depth + 1);
                    parser.MoveNext();
                    var array = new JsonArray();
                    var before = _nodes;
                    var i = 0;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        _path.Push(i++);
                        array.Add(ReadNode(parser, depth + 1, out var h));
                        _path.Pop();
                        height = Math.Max(height, h + 1);
                    }

                    Remember(start.Anchor, array, _nodes - before + 1, Math.Max(height, 1));
                    return array;
                }

                case MappingStart start:
                {
                    CheckDepth(start.Start, depth + 1);
                    parser.MoveNext();
                    var obj = new JsonObject();
                    var before = _nodes;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (parser.Current is not Scalar keyEvent)
                        {
                            throw Fail(_file, parser.Current!.Start, _path.ToString(), "mapping keys must be plain strings");
                        }

                        parser.MoveNext();
                        var key = keyEvent.Value;
                        _path.Push(key);
                        if (obj.ContainsKey(key))
                        {
                            throw Fail(_file, keyEvent.Start, _path.ToString(), $"duplicate key '{key}'");
                        }

                        Record(keyEvent.Start);
                        obj[key] = ReadNode(parser, depth + 1, out var h);
                        _path.Pop();
                        height = Math.Max(height, h + 1);
                    }

                    Remember(start.Anchor, obj, _nodes - before + 1, Math.Max(height, 1));
                    return obj;
                }

                default:
                    throw Fail(_file, current.Start, _path.ToString(), "unsupported YAML node");
            }
        }

        private JsonNode? Expand(AnchorAlias alias, int depth, out int height)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw Fail(_file, alias.Start, _path.ToString(), $"alias '*{alias.Value.Value}' refers to no anchor defined before it (or to the node that contains it)");
            }

            CheckDepth(alias.Start, depth + anchored.Height);
            Count(alias.Start, anchored.Nodes - 1);
            height = anchored.Height;
            return anchored.Node?.DeepClone();
        }

        private void Remember(AnchorName anchor, JsonNode? node, long nodes, int height)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = new Anchored(node, nodes, height);
            }
        }

        private void CheckDepth(Mark mark, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Fail(_file, mark, _path.ToString(), $"nesting deeper than {MaxDepth} levels", DiagnosticCodes.Limit);
            }
        }

        private void Count(Mark mark, long nodes)
        {
            _nodes += nodes;
            if (_nodes > MaxNodes)
            {
                throw Fail(_file, mark, _path.ToString(), $"more than {MaxNodes} nodes in one document (after alias expansion)", DiagnosticCodes.Limit);
            }
        }

        private void Record(Mark mark)
        {
            _locations?.TryAdd(_path.ToString(), Location(mark));
        }

        private SourceLocation Location(Mark mark) => Shift is not { } shift
            ? new SourceLocation(_file, (int)mark.Line, (int)mark.Column)
            : new SourceLocation(_file, (int)(mark.Line + shift.Line - 1), (int)(mark.Line == 1 ? mark.Column + shift.Column - 1 : mark.Column));

        private sealed record Anchored(JsonNode? Node, long Nodes, int Height);
    }
}

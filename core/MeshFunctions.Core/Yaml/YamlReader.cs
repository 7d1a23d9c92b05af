using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshFunctions.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// Reads multi-document YAML into JSON the way <c>kubectl</c> reads manifests: plain (unquoted)
/// scalars become null, booleans (YAML 1.1 spellings included: <c>yes/no/on/off</c>) or numbers;
/// quoted scalars always stay strings. Duplicate keys, non-scalar keys and oversized or too-deep
/// documents are errors, reported with their line.
/// </summary>
public static partial class YamlReader
{
    /// <summary>Deepest nesting accepted (the API server's JSON limit is far higher; manifests never need it).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes accepted in one stream, after alias expansion (guards against "billion laughs").</summary>
    public const int MaxNodes = 2_000_000;

    public static IReadOnlyList<SourceDocument> Read(string text, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var reason = CleanMessage(ex);
            var message = reason.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? $"duplicate key '{reason["Duplicate key ".Length..]}'"
                : "invalid YAML: " + reason;
            throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, message)
            {
                Location = new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column),
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some syntax errors (an unclosed flow collection) and duplicate keys
            // this way, without a position; the parser's last event is where it stopped.
            var mark = parser.Current?.Start;
            var message = ex is ArgumentException && ex.Message.Contains("same key", StringComparison.Ordinal)
                ? "duplicate key in mapping"
                : "invalid YAML: unexpected content (an unclosed bracket or quote?)";
            throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, message)
            {
                Location = new SourceLocation(file, (int)(mark?.Line ?? 1), (int)(mark?.Column ?? 1)),
            });
        }

        var documents = new List<SourceDocument>(stream.Documents.Count);
        var budget = new Budget();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var root = stream.Documents[i].RootNode;
            var start = new SourceLocation(file, (int)root.Start.Line, (int)root.Start.Column);
            var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            var node = Convert(root, string.Empty, 0, file, locations, budget);
            documents.Add(new SourceDocument(node, file, i, start, locations));
        }

        return documents;
    }

    private static JsonNode? Convert(YamlNode node, string path, int depth, string? file, Dictionary<string, SourceLocation> locations, Budget budget)
    {
        if (depth > MaxDepth)
        {
            throw Fail(file, node, path, $"nesting deeper than {MaxDepth} levels");
        }

        if (++budget.Nodes > MaxNodes)
        {
            throw Fail(file, node, path, $"more than {MaxNodes} nodes (after alias expansion)");
        }

        locations.TryAdd(path, new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column));
        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar, path, file);
            case YamlSequenceNode sequence:
            {
                var array = new JsonArray();
                var i = 0;
                foreach (var child in sequence.Children)
                {
                    array.Add(Convert(child, JsonPath.Index(path, i++), depth + 1, file, locations, budget));
                }

                return array;
            }

            case YamlMappingNode mapping:
            {
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw Fail(file, keyNode, path, "mapping keys must be plain strings");
                    }

                    var childPath = JsonPath.Property(path, key);
                    if (obj.ContainsKey(key))
                    {
                        throw Fail(file, keyNode, childPath, $"duplicate key '{key}'");
                    }

                    locations.TryAdd(childPath, new SourceLocation(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column));
                    obj[key] = Convert(valueNode, childPath, depth + 1, file, locations, budget);
                }

                return obj;
            }

            default:
                throw Fail(file, node, path, "unsupported YAML node");
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar, string path, string? file)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(value);
        }

        if (scalar.Style != ScalarStyle.Plain && tag is null)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(value))
        {
            var clean = value.Replace("_", string.Empty, StringComparison.Ordinal);
            if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            if (decimal.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            {
                return JsonValue.Create(big);
            }
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        if (value is ".inf" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".Inf" or "-.Inf")
        {
            throw Fail(file, scalar, path, $"'{value}' cannot be represented in JSON; quote it if a string is meant");
        }

        return JsonValue.Create(value);
    }

    private static ManifestException Fail(string? file, YamlNode node, string path, string message) =>
        new(new Diagnostic(Severity.Error, path, message)
        {
            Location = new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column),
        });

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(idx + 3)..] : message;
    }

    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    private sealed class Budget
    {
        public int Nodes { get; set; }
    }
}

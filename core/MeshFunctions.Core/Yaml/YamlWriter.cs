using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// Writes JSON nodes as block-style YAML, deterministic and kubectl-compatible: keys in insertion
/// order, two-space indentation, strings quoted only where a plain scalar would read back as
/// something else (a number, boolean, null, or broken syntax).
/// </summary>
public static class YamlWriter
{
    /// <summary>Writes several objects as one multi-document stream separated by <c>---</c>.</summary>
    public static string WriteDocuments(IEnumerable<JsonNode?> documents)
    {
        var sb = new StringBuilder();
        WriteDocuments(sb, documents);
        return sb.ToString();
    }

    public static void WriteDocuments(StringBuilder sb, IEnumerable<JsonNode?> documents)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(documents);
        var first = true;
        foreach (var doc in documents)
        {
            if (!first)
            {
                sb.Append("---\n");
            }

            first = false;
            Write(sb, doc);
        }
    }

    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    public static void Write(StringBuilder sb, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                WriteObject(sb, o, 0);
                break;
            case JsonArray a when a.Count > 0:
                WriteArray(sb, a, 0);
                break;
            default:
                WriteInline(sb, node);
                sb.Append('\n');
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, JsonObject obj, int indent)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!first || indent > 0)
            {
                sb.Append(' ', first ? 0 : indent);
            }

            first = false;
            WriteScalarString(sb, key);
            sb.Append(':');
            WriteValueAfterKey(sb, value, indent);
        }
    }

    private static void WriteArray(StringBuilder sb, JsonArray array, int indent)
    {
        var first = true;
        foreach (var item in array)
        {
            sb.Append(' ', first ? 0 : indent);
            first = false;
            sb.Append("- ");
            switch (item)
            {
                case JsonObject o when o.Count > 0:
                    WriteObject(sb, o, indent + 2);
                    break;
                case JsonArray a when a.Count > 0:
                    WriteArray(sb, a, indent + 2);
                    break;
                default:
                    WriteInline(sb, item);
                    sb.Append('\n');
                    break;
            }
        }
    }

    private static void WriteValueAfterKey(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                sb.Append('\n');
                sb.Append(' ', indent + 2);
                WriteObject(sb, o, indent + 2);
                break;
            case JsonArray a when a.Count > 0:
                // kubectl style: a list under a key starts at the key's own indentation.
                sb.Append('\n');
                sb.Append(' ', indent);
                WriteArray(sb, a, indent);
                break;
            default:
                sb.Append(' ');
                WriteInline(sb, value);
                sb.Append('\n');
                break;
        }
    }

    private static void WriteInline(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject:
                sb.Append("{}");
                break;
            case JsonArray:
                sb.Append("[]");
                break;
            case JsonValue v:
                WriteValue(sb, v);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteScalarString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue<int>(out var i))
                {
                    sb.Append(i.ToString(CultureInfo.InvariantCulture));
                }
                else if (value.TryGetValue<long>(out var l))
                {
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(value.ToJsonString());
                }

                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>Writes a string plain when that reads back as the same string, else double-quoted.</summary>
    internal static void WriteScalarString(StringBuilder sb, string s)
    {
        if (!NeedsQuotes(s))
        {
            sb.Append(s);
            return;
        }

        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    internal static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s[0] == ' ' || s[^1] == ' ')
        {
            return true;
        }

        // Indicators that change meaning at the start of a plain scalar.
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal))
        {
            // "-foo" and ":foo" are fine as plain scalars only when not followed by a space; keep it simple and quote.
            return true;
        }

        foreach (var c in s)
        {
            if (c < 0x20 || c == 0x7f || c == '\uFEFF')
            {
                return true;
            }
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s[^1] == ':')
        {
            return true;
        }

        return LooksLikeNonString(s);
    }

    private static bool LooksLikeNonString(string s)
    {
        switch (s)
        {
            case "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
                or "yes" or "Yes" or "YES" or "no" or "No" or "NO" or "on" or "On" or "ON" or "off" or "Off" or "OFF"
                or "y" or "Y" or "n" or "N" or ".inf" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".Inf" or ".NAN":
                return true;
        }

        var c = s[0];
        if (!(char.IsAsciiDigit(c) || c == '+' || c == '.' || c == '-'))
        {
            return false;
        }

        // Anything number-like (ints, floats, hex, octal, sexagesimal, underscores) is quoted.
        foreach (var ch in s)
        {
            if (!(char.IsAsciiDigit(ch) || ch is '.' or '+' or '-' or '_' or 'e' or 'E' or 'x' or 'X' or 'o' or ':' || char.IsAsciiHexDigit(ch)))
            {
                return false;
            }
        }

        return true;
    }
}

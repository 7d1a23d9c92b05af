using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// The stand-in's subset of Consul's <c>filter</c> language (go-bexpr): <c>Selector == value</c>, <c>!=</c>,
/// <c>value in Selector</c>, <c>not in</c>, <c>Selector contains value</c>, <c>not contains</c>, <c>matches</c>,
/// <c>not matches</c>, <c>is empty</c>, <c>is not empty</c>, <c>and</c>, <c>or</c>, <c>not</c> and parentheses.
/// Selectors are dotted field names (<c>Service.Tags</c>, <c>ServiceMeta.version</c>, <c>ServiceMeta["a-b"]</c>)
/// evaluated on one element of the answer's JSON; values are double-quoted or backquoted strings, numbers,
/// booleans or bare words. A malformed expression throws <see cref="FormatException"/>.
/// </summary>
internal sealed class FilterExpression
{
    private readonly List<string> _tokens;
    private int _at;

    private FilterExpression(List<string> tokens) => _tokens = tokens;

    /// <summary>Parses <paramref name="text"/> into a predicate over one answer element.</summary>
    public static Func<JsonElement, bool> Parse(string text)
    {
        var parser = new FilterExpression(Tokenize(text));
        var predicate = parser.Or();
        if (parser._at != parser._tokens.Count)
        {
            throw new FormatException($"unexpected \"{parser._tokens[parser._at]}\" at token {parser._at + 1}");
        }

        return predicate;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '`')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new FormatException($"unterminated string at {i + 1}");
                }

                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
            }
            else if (c is '(' or ')' or '[' or ']' or '.')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '=' or '!')
            {
                if (i + 1 >= text.Length || text[i + 1] != '=')
                {
                    throw new FormatException($"expected \"==\" or \"!=\" at {i + 1}");
                }

                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' or '+'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else
            {
                throw new FormatException($"unexpected character '{c}' at {i + 1}");
            }
        }

        return tokens;
    }

    private string? Peek(int ahead = 0) => _at + ahead < _tokens.Count ? _tokens[_at + ahead] : null;

    private string Next() => _at < _tokens.Count ? _tokens[_at++] : throw new FormatException("unexpected end of expression");

    private bool Accept(string word)
    {
        if (Peek() != word)
        {
            return false;
        }

        _at++;
        return true;
    }

    private Func<JsonElement, bool> Or()
    {
        var left = And();
        while (Accept("or"))
        {
            var (a, b) = (left, And());
            left = e => a(e) || b(e);
        }

        return left;
    }

    private Func<JsonElement, bool> And()
    {
        var left = Unary();
        while (Accept("and"))
        {
            var (a, b) = (left, Unary());
            left = e => a(e) && b(e);
        }

        return left;
    }

    private Func<JsonElement, bool> Unary()
    {
        if (Accept("not"))
        {
            var inner = Unary();
            return e => !inner(e);
        }

        if (Accept("("))
        {
            var inner = Or();
            if (!Accept(")"))
            {
                throw new FormatException("expected \")\"");
            }

            return inner;
        }

        return Match();
    }

    private Func<JsonElement, bool> Match()
    {
        if (Peek() is { } first && (first[0] is '"' or '`' || IsValueThenIn()))
        {
            var value = Value(Next());
            var negate = Accept("not");
            if (!Accept("in"))
            {
                throw new FormatException("expected \"in\" after a value");
            }

            var path = Selector();
            return e => Contains(Resolve(e, path), value) != negate;
        }

        var selector = Selector();
        var op = Next();
        switch (op)
        {
            case "==" or "!=":
                var expected = Value(Next());
                return e => Equal(Resolve(e, selector), expected) == (op == "==");
            case "contains":
                var needle = Value(Next());
                return e => Contains(Resolve(e, selector), needle);
            case "matches":
                var regex = new Regex(Value(Next()), RegexOptions.None, TimeSpan.FromSeconds(1));
                return e => Resolve(e, selector) is { ValueKind: JsonValueKind.String } s && regex.IsMatch(s.GetString()!);
            case "not":
                var verb = Next();
                var operand = Value(Next());
                return verb switch
                {
                    "contains" => e => !Contains(Resolve(e, selector), operand),
                    "matches" => e => !(Resolve(e, selector) is { ValueKind: JsonValueKind.String } s && Regex.IsMatch(s.GetString()!, operand, RegexOptions.None, TimeSpan.FromSeconds(1))),
                    _ => throw new FormatException($"unexpected \"not {verb}\""),
                };
            case "is":
                var not = Accept("not");
                if (!Accept("empty"))
                {
                    throw new FormatException("expected \"empty\"");
                }

                return e => IsEmpty(Resolve(e, selector)) != not;
            default:
                throw new FormatException($"unexpected \"{op}\" after a selector");
        }
    }

    private bool IsValueThenIn() => Peek(1) == "in" || (Peek(1) == "not" && Peek(2) == "in");

    private List<string> Selector()
    {
        var path = new List<string> { Identifier(Next()) };
        while (true)
        {
            if (Accept("."))
            {
                path.Add(Identifier(Next()));
            }
            else if (Accept("["))
            {
                path.Add(Value(Next()));
                if (!Accept("]"))
                {
                    throw new FormatException("expected \"]\"");
                }
            }
            else
            {
                return path;
            }
        }
    }

    private static string Identifier(string token) =>
        token.Length > 0 && char.IsAsciiLetter(token[0]) && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? token
            : throw new FormatException($"\"{token}\" is not a selector");

    private static string Value(string token) => token[0] is '"' or '`' ? token[1..^1] : token is "(" or ")" or "[" or "]" or "." ? throw new FormatException($"expected a value, got \"{token}\"") : token;

    private static JsonElement? Resolve(JsonElement element, List<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static bool Equal(JsonElement? found, string expected) => found switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString() == expected,
        { ValueKind: JsonValueKind.Number } n => n.GetRawText() == expected || (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && n.GetDouble() == d),
        { ValueKind: JsonValueKind.True } => expected == "true",
        { ValueKind: JsonValueKind.False } => expected == "false",
        _ => false,
    };

    private static bool Contains(JsonElement? found, string value) => found switch
    {
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Any(x => Equal(x, value)),
        { ValueKind: JsonValueKind.Object } o => o.TryGetProperty(value, out _),
        { ValueKind: JsonValueKind.String } s => s.GetString()!.Contains(value, StringComparison.Ordinal),
        _ => false,
    };

    private static bool IsEmpty(JsonElement? found) => found switch
    {
        null => true,
        { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() == 0,
        { ValueKind: JsonValueKind.Object } o => !o.EnumerateObject().Any(),
        { ValueKind: JsonValueKind.String } s => s.GetString()!.Length == 0,
        { ValueKind: JsonValueKind.Null } => true,
        _ => false,
    };
}

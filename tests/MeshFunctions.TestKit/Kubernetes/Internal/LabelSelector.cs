using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// The API server's label selector syntax: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;n</c>, <c>k&lt;n</c>, joined by commas (AND).
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements;

    private LabelSelector(List<Func<JsonObject?, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Func<JsonObject?, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>True when every requirement holds for the object's <c>metadata.labels</c>.</summary>
    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.TrueForAll(r => r(labels));
    }

    private static Func<JsonObject?, bool> ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            throw Fail(part, "empty requirement");
        }

        var set = SetRequirement().Match(part);
        if (set.Success)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["vals"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            if (values.Count == 0)
            {
                throw Fail(part, "for 'in', 'notin' operators, values set can't be empty");
            }

            return set.Groups["op"].Value == "in"
                ? labels => Value(labels, key) is { } v && values.Contains(v)
                : labels => Value(labels, key) is not { } v || !values.Contains(v);
        }

        var op = OperatorRequirement().Match(part);
        if (op.Success)
        {
            var key = op.Groups["key"].Value;
            var value = op.Groups["val"].Value;
            return op.Groups["op"].Value switch
            {
                "=" or "==" => labels => Value(labels, key) == value,
                "!=" => labels => Value(labels, key) != value,
                ">" => Numeric(part, key, value, (a, b) => a > b),
                _ => Numeric(part, key, value, (a, b) => a < b),
            };
        }

        if (part[0] == '!' && KeyOnly().IsMatch(part[1..].Trim()))
        {
            var key = part[1..].Trim();
            return labels => Value(labels, key) is null;
        }

        if (KeyOnly().IsMatch(part))
        {
            return labels => Value(labels, part) is not null;
        }

        throw Fail(part, "expected one of: '=', '==', '!=', 'in', 'notin', '<', '>', or a bare key");
    }

    private static Func<JsonObject?, bool> Numeric(string part, string key, string value, Func<long, long, bool> compare)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bound))
        {
            throw Fail(part, $"for 'Gt', 'Lt' operators, the value must be an integer, got '{value}'");
        }

        return labels => Value(labels, key) is { } v
            && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && compare(n, bound);
    }

    private static string? Value(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static KubeApiException Fail(string part, string why) =>
        KubeStatus.BadRequest($"unable to parse requirement: \"{part}\": {why}");

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)\s+(?<op>in|notin)\s*\((?<vals>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?<op>==|!=|=|>|<)\s*(?<val>[-A-Za-z0-9_.]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OperatorRequirement();

    [GeneratedRegex(@"^[A-Za-z0-9][-A-Za-z0-9_./]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyOnly();
}

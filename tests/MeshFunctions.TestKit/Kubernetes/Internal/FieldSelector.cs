using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// Field selectors: <c>metadata.name</c> and <c>metadata.namespace</c> for every resource (all a CRD
/// supports without <c>selectableFields</c>), plus a few per built-in kind; other fields get 400 like the server.
/// </summary>
internal sealed class FieldSelector
{
    private static readonly Dictionary<string, string[]> ExtraFields = new(StringComparer.Ordinal)
    {
        ["v1/pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"],
        ["v1/secrets"] = ["type"],
        ["v1/namespaces"] = ["status.phase"],
    };

    private readonly List<(string Path, string Value, bool Equal)> _terms;

    private FieldSelector(List<(string Path, string Value, bool Equal)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name an equality term on <c>metadata.name</c> pins, if any (used by single-object watches).</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, KubeResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (path, value, equal) = Split(part);
            if (path != "metadata.name" && path != "metadata.namespace"
                && !(ExtraFields.TryGetValue(type.Key, out var extra) && extra.Contains(path)))
            {
                throw KubeStatus.BadRequest($"field label not supported: {path}");
            }

            terms.Add((path, value, equal));
        }

        return new FieldSelector(terms);
    }

    public static FieldSelector ForName(string name) => new([("metadata.name", name, true)]);

    public bool Matches(JsonObject obj) => _terms.TrueForAll(t => (Read(obj, t.Path) == t.Value) == t.Equal);

    private static (string Path, string Value, bool Equal) Split(string part)
    {
        var ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return (part[..ne].Trim(), part[(ne + 2)..].Trim(), false);
        }

        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw KubeStatus.BadRequest($"invalid selector: '{part}'; can't understand '{part}'");
        }

        var value = part[(eq + 1)..];
        return (part[..eq].Trim(), (value.StartsWith('=') ? value[1..] : value).Trim(), true);
    }

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>What the API server checks and fills on every written body, before the store sees it.</summary>
internal static partial class ObjectRules
{
    /// <summary>Checks apiVersion/kind, namespace and labels of a create/update body; fills what the server fills.</summary>
    public static JsonObject Metadata(JsonObject body)
    {
        if (body["metadata"] is JsonObject meta)
        {
            return meta;
        }

        if (body["metadata"] is not null)
        {
            throw KubeStatus.BadRequest("metadata: expected an object");
        }

        meta = new JsonObject();
        body["metadata"] = meta;
        return meta;
    }

    public static void CheckTypeAndScope(KubeResourceType type, string? urlNamespace, JsonObject body)
    {
        var apiVersion = Text(body, "apiVersion");
        var kind = Text(body, "kind");
        if (apiVersion is null || kind is null)
        {
            if (type.IsCustom)
            {
                throw KubeStatus.BadRequest($"Object 'Kind' is missing in '{Truncate(body.ToJsonString())}'");
            }

            // Built-in types are decoded with the URL's group/version/kind as the default.
            body["apiVersion"] = type.ApiVersion;
            body["kind"] = type.Kind;
        }
        else if (apiVersion != type.ApiVersion)
        {
            throw KubeStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        else if (kind != type.Kind)
        {
            throw KubeStatus.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind}) for {type.GroupResource}");
        }

        var meta = Metadata(body);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }

        var ns = Text(meta, "namespace");
        if (ns is { Length: > 0 } && ns != urlNamespace)
        {
            throw KubeStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        meta["namespace"] = urlNamespace;
    }

    public static void CheckName(KubeResourceType type, string name)
    {
        if (ObjectNames.Check(type, name) is { } error)
        {
            throw KubeStatus.Invalid(type, name, "metadata.name", error);
        }
    }

    public static void CheckLabels(KubeResourceType type, string name, JsonObject meta)
    {
        if (meta["labels"] is null)
        {
            return;
        }

        if (meta["labels"] is not JsonObject labels)
        {
            throw KubeStatus.BadRequest("metadata.labels: expected a map of strings");
        }

        foreach (var (key, value) in labels)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                throw KubeStatus.BadRequest($"metadata.labels.{key}: expected a string, got {value?.ToJsonString() ?? "null"}");
            }

            if (!IsQualifiedName(key))
            {
                throw KubeStatus.Invalid(type, name, "metadata.labels", $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }

            if (text.Length > 63 || !LabelValue().IsMatch(text))
            {
                throw KubeStatus.Invalid(type, name, "metadata.labels", $"Invalid value: \"{text}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (must be no more than 63 characters)");
            }
        }
    }

    /// <summary>Secrets: the server folds write-only <c>stringData</c> into base64 <c>data</c>.</summary>
    public static void Normalize(KubeResourceType type, JsonObject obj)
    {
        if (type.Key != "v1/secrets" || obj["stringData"] is not JsonObject stringData)
        {
            return;
        }

        if (obj["data"] is not JsonObject data)
        {
            data = new JsonObject();
            obj["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                throw KubeStatus.BadRequest($"stringData.{key}: expected a string");
            }

            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        obj.Remove("stringData");
    }

    /// <summary>The part of an object whose change bumps <c>metadata.generation</c>: all but metadata and status.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after)
    {
        return !JsonNode.DeepEquals(Strip(before), Strip(after));

        static JsonObject Strip(JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            copy.Remove("metadata");
            copy.Remove("status");
            copy.Remove("apiVersion");
            copy.Remove("kind");
            return copy;
        }
    }

    /// <summary>A JSON number as long, whatever CLR type backs the node; 0 when absent or not a number.</summary>
    public static long Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static string? Text(JsonNode? obj, string member) =>
        obj?[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefixOk = slash < 0 || (slash <= 253 && PrefixPart().IsMatch(key[..slash]));
        return prefixOk && name.Length is > 0 and <= 63 && LabelValue().IsMatch(name);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPart();
}

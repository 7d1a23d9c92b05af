using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>Kind, namespace and name of an admitted object, tolerant of missing fields.</summary>
internal readonly record struct ObjectId(string Kind, string Namespace, string Name)
{
    public static ObjectId Of(JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject;
        return new ObjectId(Text(obj["kind"]) ?? "object", Text(meta?["namespace"]) is { Length: > 0 } ns ? ns : "default", Text(meta?["name"]) ?? string.Empty);
    }

    /// <summary><c>namespace/name</c>.</summary>
    public string Key => Namespace + "/" + Name;

    public override string ToString() => $"{Kind} {Namespace}/{Name}";

    internal static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>Kind, namespace and name of an admitted object, tolerant of missing fields.</summary>
internal readonly record struct ObjectId(string Kind, string Namespace, string Name)
{
    public static ObjectId Of(JsonObject obj) => Of(new NodeView(obj));

    private static ObjectId Of<TView>(TView obj)
        where TView : struct, IJsonView<TView>
    {
        var meta = obj["metadata"];
        return new ObjectId(obj["kind"].String ?? "object", meta["namespace"].String is { Length: > 0 } ns ? ns : "default", meta["name"].String ?? string.Empty);
    }

    /// <summary><c>namespace/name</c>.</summary>
    public string Key => Namespace + "/" + Name;

    public override string ToString() => $"{Kind} {Namespace}/{Name}";

    internal static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}

using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// Identifies an object the way the API server does: group (not version, so a v1beta1 object read back matches its
/// v1 rendering), kind, namespace and name.
/// </summary>
internal readonly record struct ObjectKey(string Group, string Kind, string Namespace, string Name)
{
    public static ObjectKey Of(JsonObject obj)
    {
        var apiVersion = JsonRead.String(obj, "apiVersion") ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var metadata = JsonRead.Object(obj, "metadata");
        return new ObjectKey(
            slash < 0 ? string.Empty : apiVersion[..slash],
            JsonRead.String(obj, "kind") ?? string.Empty,
            JsonRead.String(metadata, "namespace") ?? string.Empty,
            JsonRead.String(metadata, "name") ?? string.Empty);
    }

    public override string ToString() => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}

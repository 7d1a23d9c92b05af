using System.Text.Json.Nodes;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>The identity of a Kubernetes object within a set: API group, kind, namespace, name.</summary>
internal readonly record struct ObjectKey(string Group, string Kind, string Namespace, string Name)
{
    public static ObjectKey Of(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var ns = (string?)obj["metadata"]?["namespace"];
        return new ObjectKey(group, (string?)obj["kind"] ?? string.Empty, string.IsNullOrEmpty(ns) ? "default" : ns, (string?)obj["metadata"]?["name"] ?? string.Empty);
    }

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

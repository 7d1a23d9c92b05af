using System.Text.Json.Nodes;

namespace MeshFunctions.Core;

/// <summary>Walks into nested JSON objects, creating what is missing (shared by the patchers and the mutator).</summary>
internal static class JsonTree
{
    /// <summary>The child object <paramref name="key"/>, created when missing.</summary>
    public static JsonObject Ensure(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    /// <summary>The array <paramref name="key"/>, created when missing.</summary>
    public static JsonArray EnsureArray(JsonObject parent, string key)
    {
        if (parent[key] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        parent[key] = created;
        return created;
    }
}

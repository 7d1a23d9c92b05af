using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>Small helpers for walking into (and creating) nested JSON objects.</summary>
internal static class JsonObjects
{
    public static JsonObject Ensure(JsonObject parent, string property)
    {
        if (parent[property] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[property] = created;
        return created;
    }

    public static JsonArray EnsureArray(JsonObject parent, string property)
    {
        if (parent[property] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        parent[property] = created;
        return created;
    }

    public static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(JsonValue.Create(v));
        }

        return array;
    }
}

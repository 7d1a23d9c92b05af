using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>Reads from objects of unknown shape without throwing: wrong types read as absent.</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static string? String(JsonObject? obj, string key) =>
        obj is not null && obj.TryGetPropertyValue(key, out var node) ? String(node) : null;

    public static JsonObject? Object(JsonObject? obj, string key) =>
        obj is not null && obj.TryGetPropertyValue(key, out var node) ? node as JsonObject : null;

    public static JsonArray? Array(JsonObject? obj, string key) =>
        obj is not null && obj.TryGetPropertyValue(key, out var node) ? node as JsonArray : null;
}

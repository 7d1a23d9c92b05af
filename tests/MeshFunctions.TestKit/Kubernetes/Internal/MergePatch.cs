using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>RFC 7386 JSON Merge Patch: objects merge recursively, <c>null</c> deletes, everything else replaces.</summary>
internal static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Merge(target?.DeepClone(), patch);

    /// <summary>
    /// The first strategic-merge directive (<c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/…</c>,
    /// <c>$deleteFromPrimitiveList/…</c>) in <paramref name="patch"/>, or null. Merge patch would store such
    /// keys as data, so the fake refuses them instead of silently doing something the server would not.
    /// </summary>
    public static string? FindStrategicDirective(JsonNode? patch) => patch switch
    {
        JsonObject obj => obj.Select(p => p.Key.StartsWith('$') ? p.Key : FindStrategicDirective(p.Value)).FirstOrDefault(k => k is not null),
        JsonArray array => array.Select(FindStrategicDirective).FirstOrDefault(k => k is not null),
        _ => null,
    };

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var existing = result[key];
            var merged = Merge(existing, value);
            if (!ReferenceEquals(merged, existing))
            {
                result[key] = merged;
            }
        }

        return result;
    }
}

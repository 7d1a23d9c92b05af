using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// Test oracle: the tree diff the mutator's patch came from before the mutator recorded its own writes. Builds the JSON
/// Patch that turns one tree into another: objects member by member, arrays index by index with appended or trailing
/// elements added/removed.
/// </summary>
internal static class TreeDiff
{
    public static List<JsonPatchOperation> Diff(JsonNode? from, JsonNode? to)
    {
        var ops = new List<JsonPatchOperation>();
        Walk(from, to, string.Empty, ops);
        return ops;
    }

    private static void Walk(JsonNode? from, JsonNode? to, string path, List<JsonPatchOperation> ops)
    {
        // Objects and arrays are walked without comparing them whole first (that made the diff quadratic in depth): equal
        // containers yield no operations on the walk anyway. Only values and kind changes are compared.
        switch (from, to)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (key, value) in a)
                {
                    if (!b.ContainsKey(key))
                    {
                        ops.Add(JsonPatchOperation.Remove(JsonPatch.Pointer(path, key)));
                    }
                    else if (b[key] is var other && (value is JsonObject or JsonArray || !JsonNode.DeepEquals(value, other)))
                    {
                        // Equal values are skipped here so that their pointer is never built.
                        Walk(value, other, JsonPatch.Pointer(path, key), ops);
                    }
                }

                foreach (var (key, value) in b)
                {
                    if (!a.ContainsKey(key))
                    {
                        ops.Add(JsonPatchOperation.Add(JsonPatch.Pointer(path, key), value?.DeepClone()));
                    }
                }

                break;
            case (JsonArray a, JsonArray b):
                var common = Math.Min(a.Count, b.Count);
                for (var i = 0; i < common; i++)
                {
                    if (a[i] is JsonObject or JsonArray || !JsonNode.DeepEquals(a[i], b[i]))
                    {
                        Walk(a[i], b[i], JsonPatch.Pointer(path, i), ops);
                    }
                }

                for (var i = common; i < b.Count; i++)
                {
                    ops.Add(JsonPatchOperation.Add(JsonPatch.Pointer(path, i), b[i]?.DeepClone()));
                }

                // Remove from the end so that earlier indices stay valid.
                for (var i = a.Count - 1; i >= common; i--)
                {
                    ops.Add(JsonPatchOperation.Remove(JsonPatch.Pointer(path, i)));
                }

                break;
            default:
                if (!JsonNode.DeepEquals(from, to))
                {
                    ops.Add(JsonPatchOperation.Replace(path, to?.DeepClone()));
                }

                break;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>
/// Compares two JSON documents by shape: the same property names (order ignored) with the same JSON kinds,
/// recursively; <c>[]</c> and <c>null</c> are different kinds. Properties that are free-form maps in Consul
/// (meta, tagged addresses) are compared by kind only, since their keys depend on the data.
/// </summary>
internal static class JsonShape
{
    private static readonly HashSet<string> Maps = new(StringComparer.Ordinal)
    {
        "TaggedAddresses", "ServiceTaggedAddresses", "NodeMeta", "Meta", "ServiceMeta",
    };

    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        var (ek, ak) = (Kind(expected), Kind(actual));
        if (ek != ak)
        {
            differences.Add($"{path}: expected {ek}, got {ak}");
            return;
        }

        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            if (Maps.Contains(path[(path.LastIndexOf('.') + 1)..]))
            {
                return;
            }

            foreach (var (name, value) in eo)
            {
                if (!ao.ContainsKey(name))
                {
                    differences.Add($"{path}.{name}: missing");
                }
                else
                {
                    Compare(value, ao[name], $"{path}.{name}", differences);
                }
            }

            differences.AddRange(ao.Where(p => !eo.ContainsKey(p.Key)).Select(p => $"{path}.{p.Key}: not in the real shape"));
        }
        else if (expected is JsonArray ea && actual is JsonArray aa && ea.Count > 0 && aa.Count > 0)
        {
            Compare(ea[0], aa[0], path + "[0]", differences);
        }
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            var other => other.ToString(),
        },
    };
}

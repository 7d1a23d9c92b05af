using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Rls.Configuration;

internal static partial class RlsYamlParser
{
    private static void CheckKeys(JsonObject obj, string path, IReadOnlySet<string> allowed, List<Diagnostic> found)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
            {
                found.Add(Diagnostic.Error(JsonPath.Property(path, key), $"unknown key '{key}' (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})"));
            }
        }
    }

    /// <summary>Reads a scalar as text; numbers and booleans keep their written form (<c>value: 200</c>).</summary>
    private static string? ReadString(JsonObject obj, string key, string path, List<Diagnostic> found)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => null,
            };
        }

        found.Add(Diagnostic.Error(JsonPath.Property(path, key), "must be a scalar"));
        return null;
    }

    private static bool ReadBool(JsonObject obj, string key, string path, List<Diagnostic> found)
    {
        var node = obj[key];
        if (node is null)
        {
            return false;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        found.Add(Diagnostic.Error(JsonPath.Property(path, key), $"must be true or false, got {node.ToJsonString()}"));
        return false;
    }
}

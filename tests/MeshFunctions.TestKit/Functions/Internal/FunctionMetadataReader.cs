using System.Text.Json;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>Reads the JSON array the Worker SDK writes to functions.metadata; errors name the file and the field.</summary>
internal static class FunctionMetadataReader
{
    public static List<FunctionMetadataEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FunctionsHostException($"{path}: functions.metadata not found (is the app built with Microsoft.Azure.Functions.Worker.Sdk?)");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FunctionsHostException($"{path}: not valid JSON: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FunctionsHostException($"{path}: expected a JSON array of functions");
        }

        var result = new List<FunctionMetadataEntry>();
        var i = 0;
        foreach (var function in root.EnumerateArray())
        {
            var at = $"[{i++}]";
            var bindings = new List<BindingMetadata>();
            if (!function.TryGetProperty("bindings", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FunctionsHostException($"{path}: {at}.bindings: expected an array");
            }

            var b = 0;
            foreach (var binding in list.EnumerateArray())
            {
                var here = $"{at}.bindings[{b++}]";
                bindings.Add(new BindingMetadata(
                    Required(path, here, binding, "name"),
                    Required(path, here, binding, "direction"),
                    Required(path, here, binding, "type"),
                    Optional(binding, "queueName"),
                    Optional(binding, "connection"),
                    Optional(binding, "schedule")));
            }

            result.Add(new FunctionMetadataEntry(
                Required(path, at, function, "name"),
                Required(path, at, function, "scriptFile"),
                Required(path, at, function, "entryPoint"),
                bindings));
        }

        return result;
    }

    private static string Required(string path, string at, JsonElement element, string name) =>
        Optional(element, name) is { Length: > 0 } value
            ? value
            : throw new FunctionsHostException($"{path}: {at}.{name}: required string is missing");

    private static string? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>
/// Typed reads from admitted objects that fail with an <see cref="AdmissionInputException"/> naming the field
/// (never an InvalidCastException), and writes that create missing parents only when something is written.
/// </summary>
internal static class TreeNav
{
    public static string? String(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new AdmissionInputException(path, "must be a string"),
    };

    public static JsonObject? Object(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw new AdmissionInputException(path, "must be an object"),
    };

    public static long? Integer(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => null,
        { } n when AsLong(n) is { } l => l,
        _ => throw new AdmissionInputException(path, "must be an integer"),
    };

    /// <summary>
    /// The integer in <paramref name="node"/>, whatever CLR type backs it (parsed JSON, a YAML long, or an int we wrote);
    /// null for non-integers.
    /// </summary>
    public static long? AsLong(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        // Most integers read directly (parsed JSON, a long or an int we wrote); other spellings (1e2, 30.0) via their text.
        if (v.TryGetValue<long>(out var direct))
        {
            return direct;
        }

        if (v.TryGetValue<int>(out var small))
        {
            return small;
        }

        var text = v.ToJsonString();
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : null;
    }

    public static bool Bool(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new AdmissionInputException(path, "must be true or false"),
    };

    /// <summary>A label or annotation map; empty when absent.</summary>
    public static Dictionary<string, string> StringMap(JsonObject? parent, string key, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(parent, key, path) is not { } o)
        {
            return map;
        }

        foreach (var (k, v) in o)
        {
            map[k] = String(o, k, MeshFunctions.Core.Yaml.JsonPath.Property(path, k)) ?? throw new AdmissionInputException(MeshFunctions.Core.Yaml.JsonPath.Property(path, k), "must be a string, not null");
        }

        return map;
    }

    /// <summary>A container list; every element must be an object with a string <c>name</c>.</summary>
    public static List<JsonObject> Containers(JsonObject spec, string key, string path)
    {
        var list = new List<JsonObject>();
        switch (spec[key])
        {
            case null:
                return list;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var at = MeshFunctions.Core.Yaml.JsonPath.Index(path, i);
                    if (array[i] is not JsonObject c)
                    {
                        throw new AdmissionInputException(at, "must be a container object");
                    }

                    if (String(c, "name", at + ".name") is null)
                    {
                        throw new AdmissionInputException(at + ".name", "is required");
                    }

                    list.Add(c);
                }

                return list;
            default:
                throw new AdmissionInputException(path, "must be a list of containers");
        }
    }
}

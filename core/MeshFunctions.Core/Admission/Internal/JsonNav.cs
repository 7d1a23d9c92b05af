using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Typed reads from admitted objects through an <see cref="IJsonView{TSelf}"/> (a node tree or a parsed document) that fail
/// with an <see cref="AdmissionInputException"/> naming the field (never an InvalidCastException). JSON null reads as absent.
/// </summary>
internal static class JsonNav
{
    public static string? String<T>(T value, string path)
        where T : struct, IJsonView<T> => value.Kind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => value.String,
            _ => throw new AdmissionInputException(path, "must be a string"),
        };

    /// <summary>The value when it is an object; absent (default) when missing or null.</summary>
    public static T Object<T>(T value, string path)
        where T : struct, IJsonView<T> => value.Kind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => default,
            JsonValueKind.Object => value,
            _ => throw new AdmissionInputException(path, "must be an object"),
        };

    public static long? Integer<T>(T value, string path)
        where T : struct, IJsonView<T> => value.Kind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => value.Integer ?? throw new AdmissionInputException(path, "must be an integer"),
        };

    public static bool Bool<T>(T value, string path)
        where T : struct, IJsonView<T> => value.Kind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => false,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new AdmissionInputException(path, "must be true or false"),
        };

    /// <summary>True when <paramref name="value"/> is an object, absent or null (what <see cref="Object{T}"/> accepts).</summary>
    public static bool IsObjectOrAbsent<T>(T value)
        where T : struct, IJsonView<T> => value.Kind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object;

    /// <summary>A label or annotation map, every value checked to be a string; empty when absent.</summary>
    public static StringMap<T> StringMap<T>(T value, string path)
        where T : struct, IJsonView<T>
    {
        var map = Object(value, path);
        if (map.FindNonStringMember(out var key, out var kind))
        {
            var at = Yaml.JsonPath.Property(path, key);
            throw new AdmissionInputException(at, kind == JsonValueKind.Null ? "must be a string, not null" : "must be a string");
        }

        return new StringMap<T>(map);
    }

    /// <summary>A container list; every element must be an object with a string <c>name</c>.</summary>
    public static ContainerList<T> Containers<T>(T value, string path)
        where T : struct, IJsonView<T>
    {
        switch (value.Kind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return new([], 0, value.Kind);
            case JsonValueKind.Array:
                var items = value.Items();
                var proxies = 0UL;
                for (var i = 0; i < items.Length; i++)
                {
                    // The field path is only built for the message.
                    if (!items[i].IsObject)
                    {
                        throw new AdmissionInputException(Yaml.JsonPath.Index(path, i), "must be a container object");
                    }

                    var name = items[i][PodFields.Name];
                    switch (name.Kind)
                    {
                        case JsonValueKind.String:
                            break;
                        case JsonValueKind.Undefined or JsonValueKind.Null:
                            throw new AdmissionInputException(Yaml.JsonPath.Index(path, i) + ".name", "is required");
                        default:
                            throw new AdmissionInputException(Yaml.JsonPath.Index(path, i) + ".name", "must be a string");
                    }

                    if (i < ContainerList<T>.Noted && name.ValueEquals(IstioKeys.ProxyContainer))
                    {
                        proxies |= 1UL << i;
                    }
                }

                return new(items, proxies, JsonValueKind.Array);
            default:
                throw new AdmissionInputException(path, "must be a list of containers");
        }
    }

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

        return IntegerFromText(v.ToJsonString());
    }

    /// <summary>The integer a JSON number's text spells (<c>30</c>, <c>30.0</c>, <c>1e2</c>); null when it is not an integer.</summary>
    public static long? IntegerFromText(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : null;
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Schemas;

/// <summary>
/// Checks a JSON tree against the contract System.Text.Json derives for a model type (the Kubernetes models
/// generated from its OpenAPI in KubernetesClient, or MeshFunctions' own kinds): unknown fields, wrong types and
/// missing required properties, each with its path. Unlike a strict <c>Deserialize</c>, which stops at the first
/// problem, it reports every problem of the object. Leaves that have their own converter (IntOrString,
/// quantities, timestamps, enums) are checked by deserializing just that leaf with the same options.
/// </summary>
public sealed class ModelShape
{
    private readonly JsonSerializerOptions _options;
    /// <summary>Most leaf answers remembered: a large input repeats the same quantities and timestamps many times.</summary>
    private const int MaxRememberedLeaves = 4096;

    private readonly ConcurrentDictionary<Type, Plan> _plans = new();
    private readonly ConcurrentDictionary<(Type Type, string Json), string?> _leaves = new();

    public ModelShape(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Adds a finding to <paramref name="errors"/> for every place <paramref name="node"/> does not fit <paramref name="type"/>.</summary>
    public void Check(JsonNode? node, Type type, string path, List<Diagnostic> errors)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(errors);
        Walk(node, type, new PathBuilder(path), errors);
    }

    private void Walk(JsonNode? node, Type type, PathBuilder path, List<Diagnostic> errors)
    {
        if (node is null)
        {
            return; // null is "not set" for every optional field, as the API server reads it
        }

        var plan = PlanFor(type);
        switch (plan.Kind)
        {
            case PlanKind.Any:
                break;
            case PlanKind.Object:
                CheckObject(node, plan, path, errors);
                break;
            case PlanKind.Enumerable when node is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    path.Push(i);
                    Walk(array[i], plan.Element!, path, errors);
                    path.Pop();
                }

                break;
            case PlanKind.Enumerable:
                errors.Add(Diagnostic.Error(path.ToString(), "has the wrong type: expected a list, got " + Describe(node)) with { Code = DiagnosticCodes.WrongType });
                break;
            case PlanKind.Dictionary when node is JsonObject map:
                foreach (var (key, child) in map)
                {
                    path.Push(key);
                    Walk(child, plan.Element!, path, errors);
                    path.Pop();
                }

                break;
            case PlanKind.Dictionary:
                errors.Add(Diagnostic.Error(path.ToString(), "has the wrong type: expected a mapping, got " + Describe(node)) with { Code = DiagnosticCodes.WrongType });
                break;
            default:
                CheckLeaf(node, plan.Type, path, errors);
                break;
        }
    }

    /// <summary>What the contract of <paramref name="type"/> asks of a node, worked out once per type (the walk visits every node of large inputs).</summary>
    private Plan PlanFor(Type type)
    {
        if (_plans.TryGetValue(type, out var plan))
        {
            return plan;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(object) || typeof(JsonNode).IsAssignableFrom(underlying) || underlying == typeof(JsonElement))
        {
            plan = new Plan(PlanKind.Any, underlying, null, null);
        }
        else
        {
            var info = _options.GetTypeInfo(underlying);
            plan = info.Kind switch
            {
                JsonTypeInfoKind.Object => new Plan(PlanKind.Object, underlying, null, Contract.Of(info)),
                JsonTypeInfoKind.Enumerable => new Plan(PlanKind.Enumerable, underlying, info.ElementType, null),
                JsonTypeInfoKind.Dictionary => new Plan(PlanKind.Dictionary, underlying, info.ElementType, null),
                _ => new Plan(PlanKind.Leaf, underlying, null, null),
            };
        }

        return _plans.GetOrAdd(type, plan);
    }

    /// <summary>Plain-language name of a JSON value's type, for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string '{Truncate((string)v!)}'",
            JsonValueKind.Number => "the number " + v.ToJsonString(),
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..37] + "...";

    private void CheckObject(JsonNode node, Plan plan, PathBuilder path, List<Diagnostic> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(Diagnostic.Error(path.ToString(), "has the wrong type: expected a mapping, got " + Describe(node)) with { Code = DiagnosticCodes.WrongType });
            return;
        }

        var contract = plan.Contract!;
        foreach (var (key, child) in obj)
        {
            path.Push(key);
            if (contract.Properties.TryGetValue(key, out var property))
            {
                Walk(child, property.PropertyType, path, errors);
            }
            else if (!contract.Open)
            {
                errors.Add(Diagnostic.Error(path.ToString(), $"unknown field '{key}'") with { Code = DiagnosticCodes.UnknownField });
            }

            path.Pop();
        }

        foreach (var property in contract.Required)
        {
            if (!obj.ContainsKey(property))
            {
                path.Push(property);
                errors.Add(Diagnostic.Error(path.ToString(), "is required") with { Code = DiagnosticCodes.Required });
                path.Pop();
            }
        }
    }

    private void CheckLeaf(JsonNode node, Type type, PathBuilder path, List<Diagnostic> errors)
    {
        var kind = node is JsonValue v ? v.GetValueKind() : node is JsonObject ? JsonValueKind.Object : JsonValueKind.Array;
        if (type == typeof(string))
        {
            Require(kind == JsonValueKind.String);
            return;
        }

        if (type == typeof(bool))
        {
            Require(kind is JsonValueKind.True or JsonValueKind.False);
            return;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            Require(kind == JsonValueKind.Number && (type == typeof(int) ? Fits(node, int.MinValue, int.MaxValue) : Fits(node, long.MinValue, long.MaxValue)));
            return;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            Require(kind == JsonValueKind.Number);
            return;
        }

        if (type == typeof(k8s.Models.IntOrString))
        {
            Require(kind == JsonValueKind.String || (kind == JsonValueKind.Number && Fits(node, int.MinValue, int.MaxValue)));
            return;
        }

        // The converter's answer depends only on the value: a scalar's answer is remembered by its JSON text.
        string? problem;
        if (node is JsonValue)
        {
            var key = (type, node.ToJsonString());
            if (!_leaves.TryGetValue(key, out problem))
            {
                problem = ConvertLeaf(node, type);
                if (_leaves.Count < MaxRememberedLeaves)
                {
                    _leaves.TryAdd(key, problem);
                }
            }
        }
        else
        {
            problem = ConvertLeaf(node, type);
        }

        if (problem is not null)
        {
            errors.Add(Diagnostic.Error(path.ToString(), problem) with { Code = DiagnosticCodes.WrongType });
        }

        void Require(bool ok)
        {
            if (!ok)
            {
                errors.Add(Diagnostic.Error(path.ToString(), $"has the wrong type: expected {Expected(type)}, got {Describe(node)}") with { Code = DiagnosticCodes.WrongType });
            }
        }
    }

    /// <summary>Deserializes the leaf with the type's own converter; null when it converts, else what is wrong.</summary>
    private string? ConvertLeaf(JsonNode node, Type type)
    {
        try
        {
            _ = node.Deserialize(type, _options);
            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException or NotSupportedException)
        {
            var own = ex is JsonException && !ex.Message.Contains("System.", StringComparison.Ordinal) && !ex.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? ex.Message.Split(" Path:", 2)[0]
                : null;
            return own ?? $"has the wrong type: expected {Expected(type)}, got {Describe(node)}";
        }
    }

    private static bool Fits(JsonNode node, decimal min, decimal max)
    {
        var value = (JsonValue)node;
        if (value.TryGetValue<long>(out var l))
        {
            return l >= min && l <= max;
        }

        if (value.TryGetValue<int>(out _))
        {
            return true;
        }

        return decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && decimal.Truncate(d) == d && d >= min && d <= max;
    }

    private string Expected(Type type)
    {
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "an integer";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "a timestamp (RFC 3339)";
        }

        if (type == typeof(byte[]))
        {
            return "base64 text";
        }

        if (type.IsEnum)
        {
            var names = Enum.GetValues(type).Cast<object>().Select(e => JsonSerializer.Serialize(e, type, _options).Trim('"'));
            return "one of " + string.Join(", ", names);
        }

        return type.Name switch
        {
            "IntOrString" or "IntstrIntOrString" => "an integer or a string",
            "ResourceQuantity" => "a quantity (such as 500m, 2 or 1Gi)",
            _ => "a " + type.Name,
        };
    }

    private enum PlanKind
    {
        Any,
        Object,
        Enumerable,
        Dictionary,
        Leaf,
    }

    /// <summary>A model type as the walk sees it: its kind, the element type of a list or map, the contract of an object.</summary>
    private sealed record Plan(PlanKind Kind, Type Type, Type? Element, Contract? Contract);

    /// <summary>What a model type's contract says about its JSON object: its members, whether it takes any other, which are required.</summary>
    private sealed record Contract(Dictionary<string, JsonPropertyInfo> Properties, bool Open, string[] Required)
    {
        public static Contract Of(JsonTypeInfo info)
        {
            var map = new Dictionary<string, JsonPropertyInfo>(StringComparer.Ordinal);
            foreach (var p in info.Properties.Where(p => !p.IsExtensionData))
            {
                map.TryAdd(p.Name, p);
            }

            return new Contract(map, info.Properties.Any(p => p.IsExtensionData), [.. info.Properties.Where(p => p.IsRequired).Select(p => p.Name)]);
        }
    }
}

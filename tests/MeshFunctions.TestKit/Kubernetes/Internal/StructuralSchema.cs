using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// One version's <c>openAPIV3Schema</c> as kube-apiserver applies it: unknown fields pruned (unless
/// <c>x-kubernetes-preserve-unknown-fields</c>), then the value validations (JSON Schema through JsonSchema.Net,
/// with OpenAPI's <c>nullable</c> and <c>x-kubernetes-int-or-string</c> translated) and the list-type rules, each
/// failure a cause with the field path and apimachinery's reason. CEL rules (<c>x-kubernetes-validations</c>) and
/// formats are not evaluated.
/// </summary>
internal sealed class StructuralSchema
{
    private static readonly ConcurrentDictionary<string, StructuralSchema> Cache = new(StringComparer.Ordinal);
    private static readonly BuildOptions Options = new() { Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    private readonly JsonObject _raw;
    private readonly Lazy<JsonSchema> _schema;

    private StructuralSchema(JsonObject raw)
    {
        _raw = raw;
        _schema = new(() => JsonSchema.FromText(Translate(raw)!.ToJsonString(), Options));
    }

    /// <summary>The schema for this text, compiled once per process (Istio's bundle is large).</summary>
    public static StructuralSchema For(JsonObject raw) => Cache.GetOrAdd(raw.ToJsonString(), _ => new StructuralSchema(raw.DeepClone().AsObject()));

    /// <summary>Removes unknown fields from <paramref name="obj"/> in place; returns every validation failure.</summary>
    public List<SchemaCause> PruneAndValidate(JsonObject obj)
    {
        Prune(obj, _raw, root: true);
        var causes = new List<SchemaCause>();
        var instance = obj.DeepClone().AsObject();
        instance.Remove("metadata"); // validated by the server's ObjectMeta rules, not the CRD schema
        using var doc = JsonDocument.Parse(instance.ToJsonString());
        var results = _schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            foreach (var detail in results.Details ?? [])
            {
                var evaluation = Segments(detail.EvaluationPath.ToString());
                if (detail.Errors is null || evaluation.Any(s => s is "anyOf" or "oneOf" or "not"))
                {
                    continue; // kube reports the failed anyOf/oneOf/not itself, not each branch's findings
                }

                var location = Segments(detail.InstanceLocation.ToString());
                foreach (var (keyword, message) in detail.Errors)
                {
                    var found = Cause(keyword, message, location, instance).ToList();
                    if (found.Count == 0 && keyword is not ("properties" or "items" or "additionalProperties" or "allOf" or "$ref"))
                    {
                        // e.g. a 'required' inside allOf: still a failure, in JSON Schema's words.
                        found.Add(new SchemaCause(Field(location), "FieldValueInvalid", $"Invalid value: {At(instance, location)?.ToJsonString() ?? "null"}: {message}"));
                    }

                    causes.AddRange(found);
                }
            }

            if (causes.Count == 0)
            {
                causes.Add(new SchemaCause(string.Empty, "FieldValueInvalid", "Invalid value: the object does not match the schema"));
            }
        }

        ListTypes(instance, _raw, [], causes);
        return causes.DistinctBy(c => (c.Field, c.Message)).OrderBy(c => c.Field, StringComparer.Ordinal).ToList();
    }

    private IEnumerable<SchemaCause> Cause(string keyword, string message, string[] location, JsonObject instance)
    {
        var field = Field(location);
        var value = At(instance, location);
        var shown = value?.ToJsonString() ?? "null";
        var schema = SchemaAt(location);
        switch (keyword)
        {
            case "required":
                var required = schema?["required"] as JsonArray ?? [];
                foreach (var name in required.Select(n => (string?)n).OfType<string>())
                {
                    if (value is JsonObject o && !o.ContainsKey(name))
                    {
                        yield return SchemaCause.Required(Field([.. location, name]));
                    }
                }

                break;
            case "type":
                var expected = schema?["type"]?.ToString() ?? "?";
                var actual = TypeName(value);
                yield return new SchemaCause(field, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {field} in body must be of type {expected}: \"{actual}\"");
                break;
            case "enum":
                var supported = string.Join(", ", (schema?["enum"] as JsonArray ?? []).Select(v => v?.ToJsonString() ?? "null"));
                yield return new SchemaCause(field, "FieldValueNotSupported", $"Unsupported value: {shown}: supported values: {supported}");
                break;
            case "maxLength":
                yield return new SchemaCause(field, "FieldValueTooLong", $"Too long: may not be more than {schema?["maxLength"]} bytes");
                break;
            case "maxItems":
                yield return new SchemaCause(field, "FieldValueTooMany", $"Too many: {(value as JsonArray)?.Count}: must have at most {schema?["maxItems"]} items");
                break;
            case "minimum":
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should be greater than or equal to {schema?["minimum"]}");
                break;
            case "maximum":
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should be less than or equal to {schema?["maximum"]}");
                break;
            case "minLength":
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should be at least {schema?["minLength"]} chars long");
                break;
            case "minItems":
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {(value as JsonArray)?.Count}: {field} in body should have at least {schema?["minItems"]} items");
                break;
            case "pattern":
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should match '{schema?["pattern"]}'");
                break;
            case "properties" or "items" or "additionalProperties" or "allOf" or "$ref":
                break; // the failing child is reported by its own detail
            default:
                yield return new SchemaCause(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body {message} ({keyword})");
                break;
        }
    }

    /// <summary>kube's pruning: fields the schema does not declare are dropped unless preserved.</summary>
    private static void Prune(JsonNode? node, JsonObject schema, bool root)
    {
        switch (node)
        {
            case JsonObject o:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
                var embedded = schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true;
                foreach (var (name, child) in o.ToList())
                {
                    if (properties?[name] is JsonObject childSchema)
                    {
                        Prune(child, childSchema, root: false);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Prune(child, additionalSchema, root: false);
                    }
                    else if (!(preserve || additional is JsonValue || ((root || embedded) && RootFields.Contains(name))))
                    {
                        o.Remove(name);
                    }
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a)
                {
                    Prune(item, items, root: false);
                }

                break;
        }
    }

    /// <summary><c>x-kubernetes-list-type: map|set</c>: duplicate keys or items are <c>FieldValueDuplicate</c>.</summary>
    private static void ListTypes(JsonNode? node, JsonObject schema, List<string> path, List<SchemaCause> causes)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    var childSchema = schema["properties"]?[name] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (childSchema is not null)
                    {
                        ListTypes(child, childSchema, [.. path, name], causes);
                    }
                }

                break;
            case JsonArray a:
                var listType = (string?)schema["x-kubernetes-list-type"];
                var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => (string?)k).OfType<string>().ToArray() ?? [];
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < a.Count; i++)
                {
                    var key = listType switch
                    {
                        "set" => a[i]?.ToJsonString(),
                        "map" when a[i] is JsonObject item => new JsonObject(keys.Select(k => KeyValuePair.Create(k, item[k]?.DeepClone()))).ToJsonString(),
                        _ => null,
                    };
                    if (key is not null && !seen.Add(key))
                    {
                        causes.Add(new SchemaCause(Field([.. path, i.ToString(CultureInfo.InvariantCulture)]), "FieldValueDuplicate", $"Duplicate value: {key}"));
                    }

                    if (schema["items"] is JsonObject items)
                    {
                        ListTypes(a[i], items, [.. path, i.ToString(CultureInfo.InvariantCulture)], causes);
                    }
                }

                break;
        }
    }

    /// <summary>OpenAPI v3 keywords JSON Schema lacks, rewritten: <c>nullable</c> and <c>x-kubernetes-int-or-string</c>.</summary>
    private static JsonNode? Translate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (name, child) in o)
                {
                    // Property names and enum values are data, not schemas.
                    copy[name] = name is "enum" or "required" or "default" or "example" ? child?.DeepClone() : Translate(child);
                    if (name == "properties" && child is JsonObject props)
                    {
                        copy[name] = new JsonObject(props.Select(p => KeyValuePair.Create(p.Key, Translate(p.Value))));
                    }
                }

                if (o["nullable"]?.GetValue<bool>() == true && o["type"] is JsonValue t)
                {
                    copy["type"] = new JsonArray((string?)t, "null");
                }

                if (o["x-kubernetes-int-or-string"]?.GetValue<bool>() == true && o["type"] is null)
                {
                    copy["type"] = new JsonArray("integer", "string");
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(Translate)]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The structural schema of the value at an instance location (properties, items, additionalProperties).</summary>
    private JsonObject? SchemaAt(string[] location)
    {
        JsonObject? node = _raw;
        foreach (var segment in location)
        {
            node = node?["items"] is JsonObject items && segment.All(char.IsAsciiDigit)
                ? items
                : node?["properties"]?[segment] as JsonObject ?? node?["additionalProperties"] as JsonObject;
        }

        return node;
    }

    private static string TypeName(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "unknown",
    };

    private static JsonNode? At(JsonNode? node, string[] segments)
    {
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('#').TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).Where(s => s.Length > 0).ToArray();

    /// <summary>kube's field path: <c>spec.subsets[0].branch</c>.</summary>
    private static string Field(IEnumerable<string> segments)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in segments)
        {
            if (s.All(char.IsAsciiDigit) && s.Length > 0 && sb.Length > 0)
            {
                sb.Append('[').Append(s).Append(']');
            }
            else
            {
                sb.Append(sb.Length == 0 ? string.Empty : ".").Append(s);
            }
        }

        return sb.ToString();
    }
}

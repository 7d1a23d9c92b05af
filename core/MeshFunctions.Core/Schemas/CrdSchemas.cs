using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Schemas;

/// <summary>
/// The OpenAPI schemas of a set of CustomResourceDefinitions (Istio's <c>crd-all.gen.yaml</c>, or
/// <c>kubectl get crd -o yaml</c> output, so the check matches the cluster's version). Validates an object
/// against the JSON Schema of its group/version/kind, and also applies the structural rules the API server
/// enforces that JSON Schema alone does not: fields the schema does not declare (refused by strict field
/// validation, otherwise pruned), and <c>x-kubernetes-int-or-string</c>.
/// </summary>
public sealed class CrdSchemas
{
    private readonly Dictionary<string, (JsonSchema Schema, JsonObject Raw)> _schemas;

    private CrdSchemas(Dictionary<string, (JsonSchema, JsonObject)> schemas)
    {
        _schemas = schemas;
    }

    /// <summary>How many group/version/kinds the set has a schema for.</summary>
    public int Count => _schemas.Count;

    /// <summary>Reads CRDs (several documents, or a <c>kind: List</c> of them) from YAML or JSON text; throws <see cref="ManifestException"/> when it cannot.</summary>
    public static CrdSchemas Parse(string text, string? file = null)
    {
        var options = new BuildOptions { Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };
        var result = new Dictionary<string, (JsonSchema, JsonObject)>(StringComparer.Ordinal);
        foreach (var doc in YamlReader.Read(text, file))
        {
            var crds = doc.Root is JsonObject { } root && (string?)(root["kind"] as JsonValue) == "List" && root["items"] is JsonArray items
                ? items.OfType<JsonObject>()
                : doc.Root is JsonObject single ? [single] : [];
            foreach (var crd in crds)
            {
                if (crd["kind"] is not JsonValue k || k.GetValueKind() != JsonValueKind.String || (string?)k != "CustomResourceDefinition"
                    || crd["spec"]?["group"] is not JsonValue g || crd["spec"]?["names"]?["kind"] is not JsonValue kind || crd["spec"]?["versions"] is not JsonArray versions)
                {
                    continue;
                }

                foreach (var version in versions.OfType<JsonObject>())
                {
                    if (version["schema"]?["openAPIV3Schema"] is not JsonObject raw || version["name"] is not JsonValue name)
                    {
                        continue;
                    }

                    var schema = JsonSchema.FromText(raw.ToJsonString(), options);
                    result[$"{g}/{name}/{kind}"] = (schema, raw);
                }
            }
        }

        if (result.Count == 0)
        {
            throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, "holds no CustomResourceDefinition with an openAPIV3Schema")
            {
                Location = new SourceLocation(file, 1, 1),
            });
        }

        return new CrdSchemas(result);
    }

    /// <summary>True when the set has a schema for this apiVersion and kind.</summary>
    public bool Knows(string apiVersion, string kind) => _schemas.ContainsKey(apiVersion + "/" + kind);

    /// <summary>Every finding for <paramref name="obj"/> (paths like <c>spec.http[0].route</c>); empty when valid or when the kind is not in the set.</summary>
    public IReadOnlyList<Diagnostic> Validate(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = (string?)(obj["apiVersion"] as JsonValue) + "/" + (string?)(obj["kind"] as JsonValue);
        if (!_schemas.TryGetValue(key, out var entry))
        {
            return [];
        }

        var errors = new List<Diagnostic>();
        Structural(obj, entry.Raw, string.Empty, errors);
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var results = entry.Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return errors;
        }

        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                errors.Add(Diagnostic.Error(FromPointer(detail.InstanceLocation.ToString()), $"{message} ({keyword})") with
                {
                    Code = keyword switch { "type" => DiagnosticCodes.WrongType, "required" => DiagnosticCodes.Required, _ => DiagnosticCodes.InvalidValue },
                });
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(Diagnostic.Error(string.Empty, "does not match the schema of " + key) with { Code = DiagnosticCodes.InvalidValue });
        }

        return errors;
    }

    /// <summary>Turns a JSON pointer (<c>/spec/http/0</c>) into a field path (<c>spec.http[0]</c>).</summary>
    private static string FromPointer(string pointer)
    {
        var path = string.Empty;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path = int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
                ? JsonPath.Index(path, i)
                : JsonPath.Property(path, segment);
        }

        return path;
    }

    private static void Structural(JsonNode? value, JsonObject schema, string path, List<Diagnostic> errors)
    {
        if (value is null)
        {
            return;
        }

        var preserve = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValueKind() == JsonValueKind.True;
        if (preserve && schema["properties"] is null)
        {
            return;
        }

        if (schema["x-kubernetes-int-or-string"] is JsonValue ios && ios.GetValueKind() == JsonValueKind.True)
        {
            if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                errors.Add(Diagnostic.Error(path, "has the wrong type: expected an integer or a string, got " + ModelShape.Describe(value)) with { Code = DiagnosticCodes.WrongType });
            }

            return;
        }

        switch (value)
        {
            case JsonObject o:
                var props = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in o)
                {
                    var childPath = JsonPath.Property(path, name);
                    if (props?[name] is JsonObject childSchema)
                    {
                        Structural(child, childSchema, childPath, errors);
                    }
                    else if (additional is not null)
                    {
                        Structural(child, additional, childPath, errors);
                    }
                    else if (path.Length == 0 ? name is not ("apiVersion" or "kind" or "metadata") : !preserve && path != "metadata" && !path.StartsWith("metadata.", StringComparison.Ordinal))
                    {
                        errors.Add(Diagnostic.Error(childPath, $"unknown field '{name}'") with { Code = DiagnosticCodes.UnknownField });
                    }
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    Structural(a[i], items, JsonPath.Index(path, i), errors);
                }

                break;
        }
    }
}

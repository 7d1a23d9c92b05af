using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Infrastructure;

/// <summary>
/// Istio 1.30's CRD schemas, loaded from the file named by <c>ISTIO_CRDS</c> (set by <c>.ci/run</c>
/// and the test script to <c>../shared/istio/crd-all.gen.yaml</c>). Validates an object against the
/// JSON Schema of its group/version/kind, and also applies the structural rules the API server
/// enforces that JSON Schema alone does not: fields the schema does not declare (which the server
/// would silently prune), and <c>x-kubernetes-int-or-string</c>.
/// </summary>
public static class IstioSchemas
{
    public const string Variable = "ISTIO_CRDS";

    private static readonly Lazy<Dictionary<string, (JsonSchema Schema, JsonObject Raw)>> Schemas = new(Load);

    /// <summary>Null when the schemas can be used; otherwise why tests that need them are skipped.</summary>
    public static string? SkipReason
    {
        get
        {
            var path = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrEmpty(path))
            {
                return $"{Variable} is not set: point it at Istio's crd-all.gen.yaml (../shared/istio/crd-all.gen.yaml) to validate rendered objects";
            }

            return File.Exists(path) ? null : $"{Variable}={path} does not exist";
        }
    }

    /// <summary>Every finding for <paramref name="obj"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var kind = (string?)obj["kind"] ?? string.Empty;
        var key = apiVersion + "/" + kind;
        if (!Schemas.Value.TryGetValue(key, out var entry))
        {
            return [$"no Istio schema for {apiVersion} {kind}"];
        }

        var errors = new List<string>();
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var results = entry.Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            foreach (var detail in results.Details ?? [])
            {
                if (detail.Errors is null)
                {
                    continue;
                }

                foreach (var (keyword, message) in detail.Errors)
                {
                    errors.Add($"{detail.InstanceLocation}: {keyword}: {message}");
                }
            }

            if (errors.Count == 0)
            {
                errors.Add("invalid against the schema");
            }
        }

        Structural(obj, entry.Raw, string.Empty, errors);
        return errors;
    }

    /// <summary>True when the bundle has a schema for this apiVersion and kind.</summary>
    public static bool Knows(string apiVersion, string kind) => Schemas.Value.ContainsKey(apiVersion + "/" + kind);

    private static void Structural(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (value is null)
        {
            return;
        }

        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true && schema["properties"] is null)
        {
            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                errors.Add($"{path}: must be an integer or a string");
            }

            return;
        }

        switch (value)
        {
            case JsonObject o:
                var props = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
                foreach (var (name, child) in o)
                {
                    var childPath = path + "/" + name;
                    if (props?[name] is JsonObject childSchema)
                    {
                        Structural(child, childSchema, childPath, errors);
                    }
                    else if (additional is not null)
                    {
                        Structural(child, additional, childPath, errors);
                    }
                    else if (!preserve && path.Length > 0 && path != "/metadata" && !path.StartsWith("/metadata/", StringComparison.Ordinal))
                    {
                        errors.Add($"{childPath}: field not declared in the schema (the API server would prune it)");
                    }
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    Structural(a[i], items, path + "/" + i, errors);
                }

                break;
        }
    }

    private static Dictionary<string, (JsonSchema, JsonObject)> Load()
    {
        var path = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException(SkipReason);
        var options = new BuildOptions { Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };
        var result = new Dictionary<string, (JsonSchema, JsonObject)>(StringComparer.Ordinal);
        foreach (var doc in YamlReader.Read(File.ReadAllText(path), path))
        {
            if (doc.Root is not JsonObject crd || (string?)crd["kind"] != "CustomResourceDefinition")
            {
                continue;
            }

            var group = (string)crd["spec"]!["group"]!;
            var kind = (string)crd["spec"]!["names"]!["kind"]!;
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                var raw = version!["schema"]!["openAPIV3Schema"]!.AsObject();
                var schema = JsonSchema.FromText(raw.ToJsonString(), options);
                result[$"{group}/{(string)version["name"]!}/{kind}"] = (schema, raw);
            }
        }

        return result;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Turns YAML text into <see cref="Manifest"/>s: MeshFunctions kinds are bound to their typed models
/// (unknown fields are errors, as with a structural CRD schema) and validated; other Kubernetes
/// objects are kept as JSON after basic shape checks. <c>kind: List</c> is flattened.
/// </summary>
public static class ManifestParser
{
    /// <summary>Options used for every typed model: camelCase, unknown members rejected.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    /// <summary>Parses all documents; returns the good ones and every finding (with file:line).</summary>
    public static ParseResult Parse(string text, string? file = null)
    {
        IReadOnlyList<SourceDocument> documents;
        try
        {
            documents = YamlReader.Read(text, file);
        }
        catch (ManifestException ex)
        {
            return new ParseResult([], ex.Diagnostics);
        }

        var manifests = new List<Manifest>();
        var diagnostics = new List<Diagnostic>();
        foreach (var doc in documents)
        {
            ParseDocument(doc, doc.Root, string.Empty, manifests, diagnostics);
        }

        return new ParseResult(manifests, diagnostics);
    }

    /// <summary>Parses text that must hold exactly valid objects; throws with every finding otherwise.</summary>
    public static IReadOnlyList<Manifest> ParseOrThrow(string text, string? file = null)
    {
        var result = Parse(text, file);
        if (result.HasErrors)
        {
            throw new ManifestException(result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList());
        }

        return result.Manifests;
    }

    /// <summary>Binds one JSON object to its typed model, or reports why it cannot.</summary>
    public static IMeshResource? Bind(JsonObject obj, Type type, string basePath, List<Diagnostic> diagnostics)
    {
        try
        {
            var resource = (IMeshResource?)obj.Deserialize(type, SerializerOptions);
            if (resource is null)
            {
                diagnostics.Add(Diagnostic.Error(basePath, "object is empty"));
                return null;
            }

            var before = diagnostics.Count;
            foreach (var d in resource.Validate())
            {
                diagnostics.Add(d with { Path = Prefix(basePath, d.Path) });
            }

            return diagnostics.Skip(before).Any(d => d.Severity == Severity.Error) ? null : resource;
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error(Prefix(basePath, JsonPath.FromSystemTextJson(ex.Path)), Explain(ex)));
            return null;
        }
    }

    private static void ParseDocument(SourceDocument doc, JsonNode? node, string path, List<Manifest> manifests, List<Diagnostic> diagnostics)
    {
        if (node is null)
        {
            return; // empty document ("---" on its own) is allowed, as kubectl does
        }

        var local = new List<Diagnostic>();
        if (node is not JsonObject obj)
        {
            local.Add(Diagnostic.Error(path, "a manifest must be a mapping with apiVersion, kind and metadata"));
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        var apiVersion = obj["apiVersion"] is JsonValue av && av.GetValueKind() == JsonValueKind.String ? (string?)av : null;
        var kind = obj["kind"] is JsonValue kv && kv.GetValueKind() == JsonValueKind.String ? (string?)kv : null;
        if (string.IsNullOrEmpty(apiVersion))
        {
            local.Add(Diagnostic.Error(JsonPath.Property(path, "apiVersion"), "is required (a string such as 'networking.istio.io/v1')"));
        }

        if (string.IsNullOrEmpty(kind))
        {
            local.Add(Diagnostic.Error(JsonPath.Property(path, "kind"), "is required (a string such as 'VirtualService')"));
        }

        if (local.Count > 0)
        {
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        if (kind!.EndsWith("List", StringComparison.Ordinal) && apiVersion == "v1" && obj["items"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                ParseDocument(doc, items[i], JsonPath.Index(JsonPath.Property(path, "items"), i), manifests, diagnostics);
            }

            return;
        }

        var type = KnownKinds.TypeFor(apiVersion!, kind, out var kindError);
        if (kindError is not null)
        {
            local.Add(Diagnostic.Error(JsonPath.Property(path, "apiVersion"), kindError));
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        if (obj["metadata"] is not JsonObject metadata || metadata["name"] is not JsonValue)
        {
            local.Add(Diagnostic.Error(JsonPath.Property(path, "metadata.name"), "is required"));
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        IMeshResource? resource = null;
        if (type is not null)
        {
            resource = Bind(obj, type, path, local);
        }

        var subject = $"{kind} {(string?)metadata["namespace"] ?? "default"}/{(string?)metadata["name"]}";
        diagnostics.AddRange(doc.Attach(local.Select(d => d with { Subject = d.Subject ?? subject })));
        if (!local.Any(d => d.Severity == Severity.Error))
        {
            manifests.Add(new Manifest(obj, resource, doc));
        }
    }

    private static string Prefix(string basePath, string path) =>
        basePath.Length == 0 ? path : path.Length == 0 ? basePath : path.StartsWith('[') ? basePath + path : basePath + "." + path;

    private static string Explain(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var field = JsonPath.FromSystemTextJson(ex.Path);
            var leaf = field[(field.LastIndexOfAny(['.', '[']) + 1)..].Trim('\'', ']', '[');
            return $"unknown field '{leaf}'";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var target = message.Split("could not be converted to ", 2)[1].Split('.', 2)[0].Trim();
            return "has the wrong type: expected " + Describe(message, target);
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return message.Split(". Path:", 2)[0];
        }

        return message.Split(" Path:", 2)[0];
    }

    private static string Describe(string message, string target)
    {
        if (message.Contains("RouterProtocol", StringComparison.Ordinal))
        {
            return "one of http, grpc, tcp";
        }

        if (message.Contains("RateLimitUnit", StringComparison.Ordinal))
        {
            return "one of SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR";
        }

        if (message.Contains("HeaderMatchType", StringComparison.Ordinal))
        {
            return "one of exact, prefix, regex, present";
        }

        return target switch
        {
            "System" when message.Contains("System.Int32", StringComparison.Ordinal) => "an integer",
            "System" when message.Contains("System.Int64", StringComparison.Ordinal) => "an integer",
            "System" when message.Contains("System.String", StringComparison.Ordinal) => "a string",
            "System" when message.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
            "System" when message.Contains("List`1", StringComparison.Ordinal) => "a list",
            "System" when message.Contains("Dictionary`2", StringComparison.Ordinal) => "a mapping",
            _ => "a value of another type",
        };
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            PropertyNameCaseInsensitive = false,
            RespectNullableAnnotations = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

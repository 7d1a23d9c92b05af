using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Schemas;
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

    /// <summary>Shape checker for MeshFunctions' own kinds (every unknown field and wrong type, not just the first).</summary>
    private static readonly ModelShape OwnShape = new(SerializerOptions);

    /// <summary>
    /// Parses all documents; returns the good ones and every finding (with file:line). <paramref name="reduce"/>,
    /// when given, is applied to each valid object as soon as its document is read (a caller that needs only part
    /// of some objects keeps just that, and the rest of each tree can be collected at once).
    /// </summary>
    public static ParseResult Parse(string text, string? file = null, ManifestParseOptions? options = null, Func<Manifest, Manifest>? reduce = null)
    {
        var manifests = new List<Manifest>();
        var diagnostics = new List<Diagnostic>();
        try
        {
            var found = new List<Manifest>();
            foreach (var doc in YamlReader.ReadEach(text, file))
            {
                ParseDocument(doc, doc.Root, string.Empty, options ?? ManifestParseOptions.Default, found, diagnostics);
                manifests.AddRange(reduce is null ? found : found.Select(reduce));
                found.Clear();
            }
        }
        catch (ManifestException ex)
        {
            // A YAML error ends the stream: what follows it cannot be trusted, what came before stands.
            diagnostics.AddRange(ex.Diagnostics);
        }

        return new ParseResult(manifests, diagnostics);
    }

    /// <summary>Parses text that must hold exactly valid objects; throws with every finding otherwise.</summary>
    public static IReadOnlyList<Manifest> ParseOrThrow(string text, string? file = null, ManifestParseOptions? options = null)
    {
        var result = Parse(text, file, options);
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

    private static void ParseDocument(SourceDocument doc, JsonNode? node, string path, ManifestParseOptions options, List<Manifest> manifests, List<Diagnostic> diagnostics)
    {
        if (node is null)
        {
            return; // empty document ("---" on its own) is allowed, as kubectl does
        }

        var local = new List<Diagnostic>();
        if (node is not JsonObject obj)
        {
            local.Add(Diagnostic.Error(path, "a manifest must be a mapping with apiVersion, kind and metadata, got " + ModelShape.Describe(node)) with { Code = DiagnosticCodes.WrongType });
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        var apiVersion = RequiredString(obj, path, "apiVersion", "'networking.istio.io/v1'", local);
        var kind = RequiredString(obj, path, "kind", "'VirtualService'", local);
        if (apiVersion is null || kind is null)
        {
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && apiVersion == "v1")
        {
            if (obj["items"] is not JsonArray items)
            {
                local.Add(Diagnostic.Error(JsonPath.Property(path, "items"), "has the wrong type: expected a list of objects, got " + ModelShape.Describe(obj["items"])) with { Code = DiagnosticCodes.WrongType });
                diagnostics.AddRange(doc.Attach(local));
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = JsonPath.Index(JsonPath.Property(path, "items"), i);
                if (items[i] is null)
                {
                    diagnostics.AddRange(doc.Attach([Diagnostic.Error(itemPath, "is null; a list item must be an object") with { Code = DiagnosticCodes.WrongType }]));
                    continue;
                }

                ParseDocument(doc, items[i], itemPath, options, manifests, diagnostics);
            }

            return;
        }

        var type = KnownKinds.TypeFor(apiVersion, kind, out var kindError);
        if (kindError is not null)
        {
            local.Add(Diagnostic.Error(JsonPath.Property(path, "apiVersion"), kindError) with { Code = DiagnosticCodes.Kind });
            diagnostics.AddRange(doc.Attach(local));
            return;
        }

        var builtIn = type is null ? KubernetesModels.TypeFor(apiVersion, kind) : null;
        var found = new List<Diagnostic>();
        if (builtIn is not null)
        {
            KubernetesModels.Shape.Check(obj, builtIn, string.Empty, found);
        }
        else
        {
            KubernetesModels.Shape.Check(obj["metadata"], typeof(k8s.Models.V1ObjectMeta), "metadata", found);
            if (type is null && KubernetesModels.IsBuiltInGroup(apiVersion))
            {
                found.Add(Diagnostic.Error("kind", $"{apiVersion} has no kind '{kind}' (kinds are case-sensitive)") with { Code = DiagnosticCodes.Kind });
            }
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            if (obj["metadata"] is null)
            {
                found.Add(Diagnostic.Error("metadata", "is required (a mapping with at least name)") with { Code = DiagnosticCodes.Required });
            }
        }
        else if (metadata["name"] is null || (metadata["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && ((string?)n)!.Length == 0))
        {
            found.Add(Diagnostic.Error("metadata.name", "is required") with { Code = DiagnosticCodes.Required });
        }

        if (found.Count == 0 && type is not null)
        {
            OwnShape.Check(obj, type, string.Empty, found);
        }
        else if (found.Count == 0 && !CrdFindings(options, apiVersion, kind, obj, found))
        {
            found.AddRange(IstioFieldGuard.Validate(obj));
        }

        local.AddRange(found.Select(d => d with { Path = Prefix(path, d.Path) }));
        IMeshResource? resource = null;
        if (local.Count == 0 && type is not null)
        {
            resource = Bind(obj, type, path, local);
        }

        if (local.Count > 0)
        {
            var meta = obj["metadata"] as JsonObject;
            var subject = $"{kind} {Text(meta?["namespace"]) ?? "default"}/{Text(meta?["name"]) ?? "?"}";
            diagnostics.AddRange(doc.Attach(local.Select(d => d with { Subject = d.Subject ?? subject, Code = d.Code ?? DiagnosticCodes.ForMessage(d.Message) })));
        }

        if (!local.Any(d => d.Severity == Severity.Error))
        {
            manifests.Add(new Manifest(obj, resource, path.Length == 0 ? doc : doc.Scoped(path)));
        }
    }

    /// <summary>
    /// Validates against the cluster's CRD schemas when they cover the kind; false when they do not. Kept out of line so
    /// that compiling the parser does not load the JSON Schema library when no CRDs were given.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool CrdFindings(ManifestParseOptions options, string apiVersion, string kind, JsonObject obj, List<Diagnostic> found)
    {
        if (options.Crds is not { } crds || !crds.Knows(apiVersion, kind))
        {
            return false;
        }

        found.AddRange(crds.Validate(obj));
        return true;
    }

    /// <summary>The string at <paramref name="name"/>, or null after adding why it is missing or not a string.</summary>
    private static string? RequiredString(JsonObject obj, string path, string name, string example, List<Diagnostic> local)
    {
        var value = obj[name];
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && (string?)v is { Length: > 0 } text)
        {
            return text;
        }

        local.Add(Diagnostic.Error(
            JsonPath.Property(path, name),
            value is null || (value is JsonValue e && e.GetValueKind() == JsonValueKind.String)
                ? $"is required (a string such as {example})"
                : $"has the wrong type: expected a string such as {example}, got {ModelShape.Describe(value)}") with { Code = DiagnosticCodes.Kind });
        return null;
    }

    /// <summary>A scalar's text for naming the subject of a finding, whatever its type.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string?)v,
        JsonValue v => v.ToJsonString(),
        null => null,
        _ => "?",
    };

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

        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
            || message.Contains("does not allow setting null values", StringComparison.Ordinal))
        {
            return "must not be null";
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
            // A null where the model has no null (spec: null, metadata: null, a list of names that is null) is a
            // finding at that field, not an object half-built for the rules to trip over.
            RespectNullableAnnotations = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Infra.Tests.Crds;

/// <summary>
/// Builds a CRD from core's model by reflection, the way <see cref="ManifestParser"/> binds it (camelCase names,
/// string enums, lists, maps), so every field the parser accepts is in the schema and nothing else is. Descriptions
/// come from the models' XML documentation, so <c>kubectl explain</c> shows them.
/// </summary>
internal static class CrdGenerator
{
    public const string Header =
        "# Generated from core's models (core/MeshFunctions.Core/Resources) by tests/MeshFunctions.Infra.Tests/Crds.\n"
        + "# Do not edit: change the model or CrdDefinitions.cs, then run MF_UPDATE_CRDS=1 dotnet test --filter CrdGenerationTests.\n";

    private static readonly Lazy<Dictionary<string, string>> Docs = new(LoadDocs);

    public static string Render(CrdDefinition definition) => Header + YamlWriter.Write(Build(definition));

    public static JsonObject Build(CrdDefinition definition)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var root = RootSchema(definition, used);
        var unused = definition.Constraints.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"{definition.Kind}: constraints for fields the model does not have: {string.Join(", ", unused)}");
        }

        var columns = new JsonArray();
        foreach (var (name, type, path, description) in definition.Columns)
        {
            columns.Add(new JsonObject { ["name"] = name, ["type"] = type, ["jsonPath"] = path, ["description"] = description });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = definition.Name,
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "meshfunctions" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = definition.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = definition.Kind,
                    ["listKind"] = definition.Kind + "List",
                    ["plural"] = definition.Plural,
                    ["singular"] = definition.Singular,
                    ["shortNames"] = new JsonArray([.. definition.ShortNames.Select(s => (JsonNode)s)]),
                    ["categories"] = new JsonArray("meshfunctions"),
                },
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["additionalPrinterColumns"] = columns,
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = root },
                }),
            },
        };
    }

    private static JsonObject RootSchema(CrdDefinition definition, HashSet<string> used)
    {
        var names = Properties(definition.Model).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        string[] expected = ["apiVersion", "kind", "metadata", "spec", "status"];
        if (!names.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"{definition.Kind}: expected top-level fields {string.Join(", ", expected)}, the model has {string.Join(", ", names)}");
        }

        var spec = Properties(definition.Model).Single(p => p.Name == "spec");
        return new JsonObject
        {
            ["description"] = Describe(definition.Model),
            ["type"] = "object",
            ["required"] = new JsonArray("spec"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = new JsonObject { ["type"] = "object" },
                ["spec"] = Schema(spec.Property.PropertyType, "spec", spec.Property, definition.Constraints, used),
                ["status"] = StatusSchema(),
            },
        };
    }

    private static JsonObject Schema(Type type, string path, MemberInfo? member, IReadOnlyDictionary<string, JsonObject> constraints, HashSet<string> used)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schema = new JsonObject();
        if (member is not null && Describe(member) is { } description)
        {
            schema["description"] = description;
        }

        if (type == typeof(string))
        {
            schema["type"] = "string";
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            schema["type"] = "integer";
            schema["format"] = type == typeof(int) ? "int32" : "int64";
        }
        else if (type == typeof(double))
        {
            schema["type"] = "number";
            schema["format"] = "double";
        }
        else if (type == typeof(bool))
        {
            schema["type"] = "boolean";
        }
        else if (type.IsEnum)
        {
            schema["type"] = "string";
            schema["enum"] = new JsonArray([.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (JsonNode)(f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))]);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            schema["type"] = "array";
            schema["items"] = Schema(type.GetGenericArguments()[0], path + "[]", null, constraints, used);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string))
        {
            schema["type"] = "object";
            schema["additionalProperties"] = Schema(type.GetGenericArguments()[1], path + "{}", null, constraints, used);
        }
        else if (type.IsClass && type.Namespace == typeof(Router).Namespace)
        {
            schema["type"] = "object";
            var properties = new JsonObject();
            foreach (var (name, property) in Properties(type))
            {
                properties[name] = Schema(property.PropertyType, path + "." + name, property, constraints, used);
            }

            schema["properties"] = properties;
        }
        else
        {
            throw new InvalidOperationException($"{path}: no schema mapping for {type}");
        }

        if (constraints.TryGetValue(path, out var extra))
        {
            used.Add(path);
            foreach (var (key, value) in extra)
            {
                schema[key] = value?.DeepClone();
            }
        }

        return schema;
    }

    /// <summary>The properties System.Text.Json binds, by their JSON names (camelCase, as ManifestParser's options).</summary>
    private static IEnumerable<(string Name, PropertyInfo Property)> Properties(Type type)
    {
        var policy = ManifestParser.SerializerOptions.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null
                || property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always }
                || property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null)
            {
                continue;
            }

            yield return (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? policy.ConvertName(property.Name), property);
        }
    }

    /// <summary>metav1.Condition as Kubernetes declares it, plus observedGeneration; other status fields are the controller's.</summary>
    private static JsonObject StatusSchema() => new()
    {
        ["description"] = "Written by the MeshFunctions controller (functions); conditions Ready, Progressing and Degraded.",
        ["type"] = "object",
        ["x-kubernetes-preserve-unknown-fields"] = true,
        ["properties"] = new JsonObject
        {
            ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
            ["conditions"] = new JsonObject
            {
                ["type"] = "array",
                ["x-kubernetes-list-type"] = "map",
                ["x-kubernetes-list-map-keys"] = new JsonArray("type"),
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("type", "status", "lastTransitionTime", "reason", "message"),
                    ["properties"] = new JsonObject
                    {
                        ["type"] = new JsonObject { ["type"] = "string", ["maxLength"] = 316, ["pattern"] = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$" },
                        ["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("True", "False", "Unknown") },
                        ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
                        ["lastTransitionTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["reason"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 1024, ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$" },
                        ["message"] = new JsonObject { ["type"] = "string", ["maxLength"] = 32768 },
                    },
                },
            },
        },
    };

    private static string? Describe(MemberInfo member)
    {
        var key = member switch
        {
            Type t => "T:" + t.FullName,
            PropertyInfo p => "P:" + p.DeclaringType!.FullName + "." + p.Name,
            _ => null,
        };
        return key is not null && Docs.Value.TryGetValue(key, out var text) ? text : null;
    }

    private static Dictionary<string, string> LoadDocs()
    {
        var path = Path.ChangeExtension(typeof(Router).Assembly.Location, ".xml");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"core's XML documentation is missing at {path} (GenerateDocumentationFile)");
        }

        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var summary = member.Element("summary");
            if (summary is null)
            {
                continue;
            }

            var text = string.Join(" ", summary.Nodes().Select(n => n is XElement e
                ? (string?)e.Attribute("cref") is { } cref ? cref[(cref.LastIndexOf('.') + 1)..] : e.Value
                : n.ToString()).SelectMany(s => s.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)));
            result[(string)member.Attribute("name")!] = System.Net.WebUtility.HtmlDecode(text);
        }

        return result;
    }
}

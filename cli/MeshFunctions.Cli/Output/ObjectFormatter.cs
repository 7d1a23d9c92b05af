using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Cli.Output;

/// <summary>Serializes objects deterministically: YAML documents separated by <c>---</c>, or JSON (a <c>v1 List</c> for several objects, like kubectl).</summary>
internal static class ObjectFormatter
{
    // Relaxed escaping: the text goes to files and terminals, not into HTML, so ' < > & stay readable.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FileExtension(OutputFormat format) => format == OutputFormat.Json ? ".json" : ".yaml";

    /// <summary>Several objects as one stream.</summary>
    public static string FormatAll(IReadOnlyList<JsonNode> objects, OutputFormat format)
    {
        if (format == OutputFormat.Yaml)
        {
            return YamlWriter.WriteDocuments(objects);
        }

        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(objects.Select(o => o.DeepClone()).ToArray()),
        };
        return FormatOne(list, format);
    }

    /// <summary>Documents that are not Kubernetes objects (patches, steps): a YAML stream, or a plain JSON array.</summary>
    public static string FormatList(IReadOnlyList<JsonNode> items, OutputFormat format) =>
        format == OutputFormat.Yaml
            ? YamlWriter.WriteDocuments(items)
            : FormatOne(new JsonArray(items.Select(i => i.DeepClone()).ToArray()), format);

    /// <summary>One object (one file of <c>--out-dir</c>).</summary>
    public static string FormatOne(JsonNode node, OutputFormat format) =>
        format == OutputFormat.Yaml ? YamlWriter.Write(node) : node.ToJsonString(Indented) + "\n";

    /// <summary>The file an object gets under <c>--out-dir</c>: <c>&lt;namespace&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>.</summary>
    public static string RelativePath(JsonObject obj, OutputFormat format)
    {
        var ns = (string?)obj["metadata"]?["namespace"];
        var kind = ((string?)obj["kind"] ?? "object").ToLowerInvariant();
        var name = (string?)obj["metadata"]?["name"] ?? "unnamed";
        var file = new StringBuilder(kind).Append('-').Append(name).Append(FileExtension(format)).ToString();
        return Path.Combine(string.IsNullOrEmpty(ns) ? "_cluster" : ns, file);
    }
}

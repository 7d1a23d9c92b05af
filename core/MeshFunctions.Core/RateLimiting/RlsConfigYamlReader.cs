using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// Reads one YAML document of the RLS config into an <see cref="RlsConfig"/>, checking every key
/// (an unknown key is an error, as in envoyproxy/ratelimit) and reporting each problem with its path.
/// </summary>
internal sealed partial class RlsConfigYamlReader
{
    private static readonly string[] TopKeys = ["domain", "descriptors"];

    private static readonly string[] DescriptorKeys =
        ["key", "value", "rate_limit", "rate_limits", "descriptors", "shadow_mode", "detailed_metric",
            "quota_mode", "share_threshold", "value_to_metric", "metadata"];

    private readonly SourceDocument _document;
    private readonly List<Diagnostic> _found = [];

    private RlsConfigYamlReader(SourceDocument document)
    {
        _document = document;
    }

    /// <summary>The config when the document has no error, and every finding (with locations).</summary>
    public static (RlsConfig? Config, IReadOnlyList<Diagnostic> Diagnostics) Read(SourceDocument document)
    {
        var reader = new RlsConfigYamlReader(document);
        var config = reader.ReadRoot(document.Root);
        var subject = string.IsNullOrEmpty(config?.Domain) ? null : "domain " + config.Domain;
        var diagnostics = document.Attach(reader._found.Select(d => d with { Subject = subject }));
        return (diagnostics.Any(d => d.Severity == Severity.Error) ? null : config, diagnostics);
    }

    private RlsConfig? ReadRoot(JsonNode? root)
    {
        if (root is not JsonObject obj)
        {
            Error(string.Empty, "an RLS config must be a mapping with 'domain' and 'descriptors'");
            return null;
        }

        CheckKeys(obj, string.Empty, TopKeys);
        var domain = String(obj, string.Empty, "domain");
        if (string.IsNullOrEmpty(domain))
        {
            Error("domain", obj.ContainsKey("domain") ? "must not be empty" : "is required");
        }

        return new RlsConfig
        {
            Domain = domain ?? string.Empty,
            Descriptors = DescriptorList(obj, string.Empty),
        };
    }

    private List<RlsDescriptor> DescriptorList(JsonObject parent, string parentPath)
    {
        var path = JsonPath.Property(parentPath, "descriptors");
        var list = new List<RlsDescriptor>();
        if (!parent.TryGetPropertyValue("descriptors", out var node) || node is null)
        {
            return list;
        }

        if (node is not JsonArray array)
        {
            Error(path, "must be a list of descriptors");
            return list;
        }

        var seen = new Dictionary<(string Key, string? Value), string>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = JsonPath.Index(path, i);
            if (Descriptor(array[i], itemPath) is not { } descriptor)
            {
                continue;
            }

            if (seen.TryGetValue((descriptor.Key, descriptor.Value), out var firstPath))
            {
                var what = descriptor.Value is null ? $"key '{descriptor.Key}' without a value" : $"'{descriptor.Key}={descriptor.Value}'";
                Error(itemPath, $"duplicate descriptor {what} (first at line {_document.Locate(firstPath).Line}); put several limits in 'rate_limits' instead");
                continue;
            }

            seen[(descriptor.Key, descriptor.Value)] = itemPath;
            list.Add(descriptor);
        }

        return list;
    }

    private RlsDescriptor? Descriptor(JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            Error(path, "must be a mapping with at least 'key'");
            return null;
        }

        CheckKeys(obj, path, DescriptorKeys);
        var key0 = String(obj, path, "key");
        if (string.IsNullOrEmpty(key0))
        {
            Error(JsonPath.Property(path, "key"), obj.ContainsKey("key") ? "must not be empty" : "is required");
        }

        if (obj.ContainsKey("rate_limit") && obj.ContainsKey("rate_limits"))
        {
            Error(JsonPath.Property(path, "rate_limits"), "cannot be combined with 'rate_limit'; list every limit in 'rate_limits'");
        }

        var value = Value(obj, path);
        var shareThreshold = Bool(obj, path, "share_threshold");
        if (shareThreshold && (value is null || !value.Contains('*', StringComparison.Ordinal)))
        {
            Error(JsonPath.Property(path, "share_threshold"), "can only be used on a wildcard value (one containing '*')");
        }

        return new RlsDescriptor
        {
            Key = key0 ?? string.Empty,
            Value = value,
            Limits = Limits(obj, path),
            ShadowMode = Bool(obj, path, "shadow_mode"),
            DetailedMetric = Bool(obj, path, "detailed_metric"),
            QuotaMode = Bool(obj, path, "quota_mode"),
            ShareThreshold = shareThreshold,
            ValueToMetric = Bool(obj, path, "value_to_metric"),
            Metadata = Metadata(obj, path),
            Descriptors = DescriptorList(obj, path),
        };
    }

    private JsonObject? Metadata(JsonObject obj, string path)
    {
        if (!obj.TryGetPropertyValue("metadata", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject map)
        {
            Error(JsonPath.Property(path, "metadata"), $"must be a mapping, got {Describe(node)}");
            return null;
        }

        return map.DeepClone().AsObject();
    }

    private string? Value(JsonObject obj, string path)
    {
        if (!obj.TryGetPropertyValue("value", out var node) || node is null)
        {
            return null;
        }

        // An unquoted integer reads as a number; its text is the value envoyproxy/ratelimit would see.
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        var value = String(obj, path, "value");
        if (value is { Length: 0 })
        {
            Error(JsonPath.Property(path, "value"), "must not be empty (leave 'value' out to match any value)");
        }

        return value;
    }

    private void CheckKeys(JsonObject obj, string path, string[] allowed)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                Error(JsonPath.Property(path, key), $"unknown key '{key}' (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }

    private string? String(JsonObject obj, string path, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        Error(JsonPath.Property(path, key), $"must be a string, got {Describe(node)} (quote it if it is meant as text)");
        return null;
    }

    private bool Bool(JsonObject obj, string path, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return false;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        Error(JsonPath.Property(path, key), $"must be true or false, got {Describe(node)}");
        return false;
    }

    private void Error(string path, string message) => _found.Add(Diagnostic.Error(path, message));

    private static string Describe(JsonNode? node) => node switch
    {
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string '{v.GetValue<string>()}'",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => "null",
        },
        _ => "null",
    };
}

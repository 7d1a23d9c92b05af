using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Rls.Configuration;

/// <summary>
/// Strict reader of envoyproxy/ratelimit's config YAML, extended with <c>rate_limits</c> (several limits
/// per descriptor) and <c>algorithm</c>. Every key is checked; errors carry file and line.
/// </summary>
internal static partial class RlsYamlParser
{
    private static readonly HashSet<string> TopKeys = ["domain", "descriptors"];
    private static readonly HashSet<string> DescriptorKeys =
        ["key", "value", "rate_limit", "rate_limits", "descriptors", "shadow_mode", "detailed_metric", "quota_mode", "share_threshold", "metadata", "value_to_metric"];

    private static readonly HashSet<string> LimitKeys = ["unit", "requests_per_unit", "unlimited", "name", "replaces", "algorithm"];
    private static readonly HashSet<string> ReplaceKeys = ["name"];

    /// <summary>Parses one file; each YAML document is one domain.</summary>
    public static (IReadOnlyList<RlsConfig> Configs, IReadOnlyList<Diagnostic> Diagnostics) Parse(string text, string? file)
    {
        var configs = new List<RlsConfig>();
        var diagnostics = new List<Diagnostic>();
        IReadOnlyList<SourceDocument> documents;
        try
        {
            documents = YamlReader.Read(text, file);
        }
        catch (ManifestException ex)
        {
            return (configs, ex.Diagnostics);
        }

        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            var found = new List<Diagnostic>();
            var config = ParseDomain(document.Root, found);
            diagnostics.AddRange(document.Attach(found));
            if (config is not null && !found.Any(d => d.Severity == Severity.Error))
            {
                configs.Add(config);
            }
        }

        return (configs, diagnostics);
    }

    private static RlsConfig? ParseDomain(JsonNode root, List<Diagnostic> found)
    {
        if (root is not JsonObject obj)
        {
            found.Add(Diagnostic.Error(string.Empty, "a config document must be a mapping with 'domain' and 'descriptors'"));
            return null;
        }

        CheckKeys(obj, string.Empty, TopKeys, found);
        var domain = ReadString(obj, "domain", string.Empty, found);
        if (string.IsNullOrEmpty(domain))
        {
            found.Add(Diagnostic.Error("domain", "is required and must not be empty"));
        }

        var descriptors = ParseDescriptorList(obj["descriptors"], "descriptors", found);
        return new RlsConfig { Domain = domain ?? string.Empty, Descriptors = descriptors };
    }

    private static List<RlsDescriptor> ParseDescriptorList(JsonNode? node, string path, List<Diagnostic> found)
    {
        var result = new List<RlsDescriptor>();
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            found.Add(Diagnostic.Error(path, "must be a list of descriptors"));
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = JsonPath.Index(path, i);
            if (ParseDescriptor(array[i], itemPath, found) is not { } descriptor)
            {
                continue;
            }

            var composite = descriptor.Value is null ? descriptor.Key : descriptor.Key + "_" + descriptor.Value;
            if (!seen.Add(composite))
            {
                found.Add(Diagnostic.Error(itemPath, $"duplicate descriptor '{composite}' at this level (use rate_limits for several limits)"));
            }

            result.Add(descriptor);
        }

        return result;
    }

    private static RlsDescriptor? ParseDescriptor(JsonNode? node, string path, List<Diagnostic> found)
    {
        if (node is not JsonObject obj)
        {
            found.Add(Diagnostic.Error(path, "must be a mapping with at least 'key'"));
            return null;
        }

        CheckKeys(obj, path, DescriptorKeys, found);
        foreach (var unsupported in new[] { "quota_mode", "share_threshold" })
        {
            if (obj.ContainsKey(unsupported))
            {
                found.Add(Diagnostic.Error(JsonPath.Property(path, unsupported), "is not supported by this service (envoyproxy/ratelimit option)"));
            }
        }

        foreach (var ignored in new[] { "metadata", "value_to_metric" })
        {
            if (obj.ContainsKey(ignored))
            {
                found.Add(Diagnostic.Warning(JsonPath.Property(path, ignored), "is accepted for compatibility and ignored"));
            }
        }

        var key = ReadString(obj, "key", path, found);
        if (string.IsNullOrEmpty(key))
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "key"), "is required and must not be empty"));
        }

        var value = ReadString(obj, "value", path, found);
        var limits = new List<RlsLimit>();
        if (obj.ContainsKey("rate_limit") && obj.ContainsKey("rate_limits"))
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "rate_limits"), "use either rate_limit or rate_limits, not both"));
        }

        if (obj["rate_limit"] is { } single)
        {
            AddLimit(ParseLimit(single, JsonPath.Property(path, "rate_limit"), found), limits);
        }

        if (obj["rate_limits"] is { } many)
        {
            var listPath = JsonPath.Property(path, "rate_limits");
            if (many is JsonArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    AddLimit(ParseLimit(list[i], JsonPath.Index(listPath, i), found), limits);
                }
            }
            else
            {
                found.Add(Diagnostic.Error(listPath, "must be a list of rate limits"));
            }
        }

        return new RlsDescriptor
        {
            Key = key ?? string.Empty,
            Value = string.IsNullOrEmpty(value) ? null : value,
            Limits = limits,
            ShadowMode = ReadBool(obj, "shadow_mode", path, found),
            DetailedMetric = ReadBool(obj, "detailed_metric", path, found),
            Descriptors = ParseDescriptorList(obj["descriptors"], JsonPath.Property(path, "descriptors"), found),
        };
    }

    private static void AddLimit(RlsLimit? limit, List<RlsLimit> limits)
    {
        if (limit is not null)
        {
            limits.Add(limit);
        }
    }

    private static RlsLimit? ParseLimit(JsonNode? node, string path, List<Diagnostic> found)
    {
        if (node is not JsonObject obj)
        {
            found.Add(Diagnostic.Error(path, "must be a mapping with 'unit' and 'requests_per_unit' (or 'unlimited: true')"));
            return null;
        }

        CheckKeys(obj, path, LimitKeys, found);
        var unlimited = ReadBool(obj, "unlimited", path, found);
        var unitText = ReadString(obj, "unit", path, found);
        var unit = RateLimitUnit.SECOND;
        if (unlimited && unitText is not null)
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "unit"), "must be absent when unlimited is true"));
        }
        else if (!unlimited && !TryParseUnit(unitText, out unit))
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "unit"), $"must be one of second, minute, hour, day, week, month, year; got '{unitText}'"));
        }

        uint requests = 0;
        if (obj["requests_per_unit"] is { } rpu)
        {
            if (rpu is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n is >= 0 and <= uint.MaxValue)
            {
                requests = (uint)n;
            }
            else
            {
                found.Add(Diagnostic.Error(JsonPath.Property(path, "requests_per_unit"), $"must be an integer between 0 and {uint.MaxValue}, got {rpu.ToJsonString()}"));
            }
        }
        else if (!unlimited)
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "requests_per_unit"), "is required unless unlimited is true"));
        }

        var name = ReadString(obj, "name", path, found);
        var algorithm = RlsAlgorithm.FixedWindow;
        if (ReadString(obj, "algorithm", path, found) is { } algorithmText && !TryParseAlgorithm(algorithmText, out algorithm))
        {
            found.Add(Diagnostic.Error(JsonPath.Property(path, "algorithm"), $"must be fixed_window, sliding_window or token_bucket; got '{algorithmText}'"));
        }

        return new RlsLimit
        {
            Unit = unit,
            RequestsPerUnit = requests,
            Unlimited = unlimited,
            Name = string.IsNullOrEmpty(name) ? null : name,
            Replaces = ParseReplaces(obj["replaces"], JsonPath.Property(path, "replaces"), name, found),
            Algorithm = algorithm,
        };
    }

    private static List<string> ParseReplaces(JsonNode? node, string path, string? ownName, List<Diagnostic> found)
    {
        var result = new List<string>();
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            found.Add(Diagnostic.Error(path, "must be a list of {name: ...}"));
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = JsonPath.Index(path, i);
            if (array[i] is not JsonObject item)
            {
                found.Add(Diagnostic.Error(itemPath, "must be a mapping {name: ...}"));
                continue;
            }

            CheckKeys(item, itemPath, ReplaceKeys, found);
            var name = ReadString(item, "name", itemPath, found);
            if (string.IsNullOrEmpty(name))
            {
                found.Add(Diagnostic.Error(JsonPath.Property(itemPath, "name"), "is required and must not be empty"));
            }
            else if (name == ownName)
            {
                found.Add(Diagnostic.Error(JsonPath.Property(itemPath, "name"), $"a limit cannot replace itself ('{name}')"));
            }
            else
            {
                result.Add(name);
            }
        }

        return result;
    }

    internal static bool TryParseUnit(string? text, out RateLimitUnit unit) =>
        Enum.TryParse(text, ignoreCase: true, out unit) && Enum.IsDefined(unit) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    private static bool TryParseAlgorithm(string text, out RlsAlgorithm algorithm)
    {
        (var ok, algorithm) = text.ToLowerInvariant() switch
        {
            "fixed_window" => (true, RlsAlgorithm.FixedWindow),
            "sliding_window" => (true, RlsAlgorithm.SlidingWindow),
            "token_bucket" => (true, RlsAlgorithm.TokenBucket),
            _ => (false, RlsAlgorithm.FixedWindow),
        };
        return ok;
    }
}

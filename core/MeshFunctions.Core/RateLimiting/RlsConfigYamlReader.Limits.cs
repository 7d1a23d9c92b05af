using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>The limit part of the reader: <c>rate_limit</c>, <c>rate_limits</c> and their keys.</summary>
internal sealed partial class RlsConfigYamlReader
{
    private static readonly string[] LimitKeys = ["unit", "requests_per_unit", "unlimited", "name", "replaces", "algorithm"];

    private List<RlsLimit> Limits(JsonObject obj, string path)
    {
        var limits = new List<RlsLimit>();
        if (obj.TryGetPropertyValue("rate_limit", out var single) && single is not null)
        {
            if (Limit(single, JsonPath.Property(path, "rate_limit")) is { } limit)
            {
                limits.Add(limit);
            }
        }

        if (obj.TryGetPropertyValue("rate_limits", out var many) && many is not null)
        {
            var listPath = JsonPath.Property(path, "rate_limits");
            if (many is not JsonArray array || array.Count == 0)
            {
                Error(listPath, "must be a non-empty list of limits");
                return limits;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (Limit(array[i], JsonPath.Index(listPath, i)) is { } limit)
                {
                    limits.Add(limit);
                }
            }
        }

        return limits;
    }

    private RlsLimit? Limit(JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            Error(path, "must be a mapping with 'unit' and 'requests_per_unit' (or 'unlimited: true')");
            return null;
        }

        CheckKeys(obj, path, LimitKeys);
        var unlimited = Bool(obj, path, "unlimited");
        var unit = RateLimitUnit.SECOND;
        uint requests = 0;
        if (unlimited)
        {
            foreach (var key in new[] { "unit", "requests_per_unit", "algorithm" }.Where(obj.ContainsKey))
            {
                Error(JsonPath.Property(path, key), "must be absent when 'unlimited' is true");
            }
        }
        else
        {
            unit = Unit(obj, path);
            requests = RequestsPerUnit(obj, path);
        }

        var name = String(obj, path, "name");
        if (name is { Length: 0 })
        {
            Error(JsonPath.Property(path, "name"), "must not be empty");
        }

        return new RlsLimit
        {
            Unlimited = unlimited,
            Unit = unit,
            RequestsPerUnit = requests,
            Name = name,
            Replaces = Replaces(obj, path, name),
            Algorithm = Algorithm(obj, path),
        };
    }

    private RateLimitUnit Unit(JsonObject obj, string path)
    {
        var unitPath = JsonPath.Property(path, "unit");
        if (!obj.ContainsKey("unit"))
        {
            Error(unitPath, $"is required (one of {RlsUnitNames.Expected}) unless 'unlimited' is true");
            return RateLimitUnit.SECOND;
        }

        var text = String(obj, path, "unit");
        if (text is null)
        {
            return RateLimitUnit.SECOND;
        }

        if (!RlsUnitNames.TryParse(text, out var unit))
        {
            Error(unitPath, $"'{text}' is not a unit: expected one of {RlsUnitNames.Expected}");
        }

        return unit;
    }

    private uint RequestsPerUnit(JsonObject obj, string path)
    {
        var rpuPath = JsonPath.Property(path, "requests_per_unit");
        if (!obj.TryGetPropertyValue("requests_per_unit", out var node))
        {
            Error(rpuPath, "is required (0 blocks every request) unless 'unlimited' is true");
            return 0;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue<long>(out var n) && n is >= 0 and <= uint.MaxValue)
            {
                return (uint)n;
            }

            Error(rpuPath, $"must be a whole number from 0 to {uint.MaxValue}, got {v.ToJsonString()}");
            return 0;
        }

        Error(rpuPath, $"must be a whole number from 0 to {uint.MaxValue}, got {Describe(node)}");
        return 0;
    }

    private List<string> Replaces(JsonObject obj, string path, string? ownName)
    {
        var names = new List<string>();
        if (!obj.TryGetPropertyValue("replaces", out var node) || node is null)
        {
            return names;
        }

        var listPath = JsonPath.Property(path, "replaces");
        if (node is not JsonArray array)
        {
            Error(listPath, "must be a list of {name: ...}");
            return names;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = JsonPath.Index(listPath, i);
            if (array[i] is not JsonObject item)
            {
                Error(itemPath, "must be a mapping {name: ...}");
                continue;
            }

            CheckKeys(item, itemPath, ["name"]);
            var name = String(item, itemPath, "name");
            if (string.IsNullOrEmpty(name))
            {
                Error(JsonPath.Property(itemPath, "name"), "is required and must not be empty");
            }
            else if (name == ownName)
            {
                Error(JsonPath.Property(itemPath, "name"), $"a limit cannot replace itself ('{name}')");
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    private RlsAlgorithm Algorithm(JsonObject obj, string path)
    {
        var text = String(obj, path, "algorithm");
        if (text is null)
        {
            return RlsAlgorithm.FixedWindow;
        }

        if (!RlsAlgorithmNames.TryParse(text, out var algorithm))
        {
            Error(JsonPath.Property(path, "algorithm"), $"'{text}' is not an algorithm: expected one of {RlsAlgorithmNames.Expected}");
        }

        return algorithm;
    }
}

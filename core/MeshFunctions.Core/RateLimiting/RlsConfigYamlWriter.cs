using System.Text.Json.Nodes;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// Turns an <see cref="RlsConfig"/> into the JSON shape of envoyproxy/ratelimit's YAML: one limit is
/// written as <c>rate_limit</c>, several as <c>rate_limits</c>; defaults (false flags, fixed window, empty
/// lists) are left out so that a plain envoyproxy/ratelimit config reads and writes back unchanged.
/// </summary>
internal static class RlsConfigYamlWriter
{
    public static JsonObject ToJson(RlsConfig config)
    {
        var root = new JsonObject { ["domain"] = config.Domain };
        if (config.Descriptors.Count > 0)
        {
            root["descriptors"] = Descriptors(config.Descriptors);
        }

        return root;
    }

    private static JsonArray Descriptors(IReadOnlyList<RlsDescriptor> descriptors)
    {
        var array = new JsonArray();
        foreach (var d in descriptors)
        {
            var obj = new JsonObject { ["key"] = d.Key };
            if (d.Value is not null)
            {
                obj["value"] = d.Value;
            }

            if (d.Limits.Count == 1)
            {
                obj["rate_limit"] = Limit(d.Limits[0]);
            }
            else if (d.Limits.Count > 1)
            {
                obj["rate_limits"] = new JsonArray([.. d.Limits.Select(l => (JsonNode)Limit(l))]);
            }

            if (d.ShadowMode)
            {
                obj["shadow_mode"] = true;
            }

            if (d.DetailedMetric)
            {
                obj["detailed_metric"] = true;
            }

            if (d.QuotaMode)
            {
                obj["quota_mode"] = true;
            }

            if (d.ShareThreshold)
            {
                obj["share_threshold"] = true;
            }

            if (d.ValueToMetric)
            {
                obj["value_to_metric"] = true;
            }

            if (d.Metadata is not null)
            {
                obj["metadata"] = d.Metadata.DeepClone();
            }

            if (d.Descriptors.Count > 0)
            {
                obj["descriptors"] = Descriptors(d.Descriptors);
            }

            array.Add(obj);
        }

        return array;
    }

    private static JsonObject Limit(RlsLimit limit)
    {
        var obj = new JsonObject();
        if (limit.Unlimited)
        {
            obj["unlimited"] = true;
        }
        else
        {
            obj["unit"] = RlsUnitNames.ToYaml(limit.Unit);
            obj["requests_per_unit"] = limit.RequestsPerUnit;
        }

        if (limit.Name is not null)
        {
            obj["name"] = limit.Name;
        }

        if (limit.Replaces.Count > 0)
        {
            obj["replaces"] = new JsonArray([.. limit.Replaces.Select(n => (JsonNode)new JsonObject { ["name"] = n })]);
        }

        if (!limit.Unlimited && limit.Algorithm != RlsAlgorithm.FixedWindow)
        {
            obj["algorithm"] = RlsAlgorithmNames.ToYaml(limit.Algorithm);
        }

        return obj;
    }
}

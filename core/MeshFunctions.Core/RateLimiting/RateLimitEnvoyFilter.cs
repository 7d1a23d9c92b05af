using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>Builds the one EnvoyFilter of a rate-limited workload (see <see cref="RateLimitRenderer"/>).</summary>
internal static class RateLimitEnvoyFilter
{
    public const string FilterName = "envoy.filters.http.ratelimit";

    public static JsonObject Build(string ns, string service, IReadOnlyList<RateLimitRule> rules, RateLimitRenderOptions options)
    {
        var ordered = rules
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ThenBy(r => r.Host.Canonical, StringComparer.Ordinal)
            .ToList();
        var stages = ordered.Select(r => r.Spec.Stage).Distinct().Order().ToList();
        var patches = new JsonArray();
        foreach (var stage in stages)
        {
            // Route rate_limits only reach the filter of the same stage, so each stage needs its own filter.
            var name = stages.Count == 1 ? FilterName : FilterName + ".stage" + stage.ToString(CultureInfo.InvariantCulture);
            patches.Add(HttpFilterPatch(name, stage, options));
        }

        patches.Add(RoutePatch(ordered));
        var sources = string.Join(',', ordered.Select(r => r.Id).Distinct());
        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1alpha3",
            ["kind"] = "EnvoyFilter",
            ["metadata"] = new JsonObject
            {
                ["name"] = RateLimitRenderer.EnvoyFilterName(service),
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [RateLimitRenderer.ManagedByLabel] = "meshfunctions" },
                ["annotations"] = new JsonObject { [RateLimitRenderer.SourcesAnnotation] = sources },
            },
            ["spec"] = new JsonObject
            {
                ["workloadSelector"] = new JsonObject { ["labels"] = RateLimitRenderer.Labels(options, service) },
                ["configPatches"] = patches,
            },
        };
    }

    private static JsonObject HttpFilterPatch(string name, int stage, RateLimitRenderOptions options)
    {
        var config = new JsonObject
        {
            ["@type"] = "type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit",
            ["domain"] = options.Domain,
            ["stage"] = stage,
            ["timeout"] = Duration(options.Timeout),
            ["failure_mode_deny"] = options.FailureModeDeny,
            ["rate_limit_service"] = new JsonObject
            {
                ["grpc_service"] = new JsonObject
                {
                    ["envoy_grpc"] = new JsonObject { ["cluster_name"] = options.RlsClusterName },
                },
                ["transport_api_version"] = "V3",
            },
        };
        if (options.EnableXRateLimitHeaders)
        {
            config["enable_x_ratelimit_headers"] = "DRAFT_VERSION_03";
        }

        return new JsonObject
        {
            ["applyTo"] = "HTTP_FILTER",
            ["match"] = new JsonObject
            {
                ["context"] = "SIDECAR_INBOUND",
                ["listener"] = new JsonObject
                {
                    ["filterChain"] = new JsonObject
                    {
                        ["filter"] = new JsonObject
                        {
                            ["name"] = "envoy.filters.network.http_connection_manager",
                            ["subFilter"] = new JsonObject { ["name"] = "envoy.filters.http.router" },
                        },
                    },
                },
            },
            ["patch"] = new JsonObject
            {
                ["operation"] = "INSERT_BEFORE",
                ["value"] = new JsonObject { ["name"] = name, ["typed_config"] = config },
            },
        };
    }

    private static JsonObject RoutePatch(List<RateLimitRule> rules)
    {
        var rateLimits = new JsonArray();
        foreach (var rule in rules)
        {
            rateLimits.Add(new JsonObject
            {
                ["stage"] = rule.Spec.Stage,
                ["actions"] = new JsonArray(HostAction(rule), RuleAction(rule)),
            });
        }

        return new JsonObject
        {
            ["applyTo"] = "HTTP_ROUTE",
            ["match"] = new JsonObject
            {
                ["context"] = "SIDECAR_INBOUND",
                // Only forwarding routes: merging a 'route' into a redirect or direct response would change its action.
                ["routeConfiguration"] = new JsonObject
                {
                    ["vhost"] = new JsonObject { ["route"] = new JsonObject { ["action"] = "ROUTE" } },
                },
            },
            ["patch"] = new JsonObject
            {
                ["operation"] = "MERGE",
                ["value"] = new JsonObject { ["route"] = new JsonObject { ["rate_limits"] = rateLimits } },
            },
        };
    }

    private static JsonObject HostAction(RateLimitRule rule) => new()
    {
        ["generic_key"] = new JsonObject
        {
            ["descriptor_key"] = RateLimitRenderer.HostDescriptorKey,
            ["descriptor_value"] = rule.Host.Canonical,
        },
    };

    private static JsonObject RuleAction(RateLimitRule rule)
    {
        if (rule.Spec.Match.Headers.Count == 0)
        {
            return new JsonObject
            {
                ["generic_key"] = new JsonObject
                {
                    ["descriptor_key"] = RateLimitRenderer.RuleDescriptorKey,
                    ["descriptor_value"] = rule.Id,
                },
            };
        }

        var headers = new JsonArray();
        foreach (var h in rule.Spec.Match.Headers)
        {
            headers.Add(HeaderMatcher(h));
        }

        return new JsonObject
        {
            ["header_value_match"] = new JsonObject
            {
                ["descriptor_key"] = RateLimitRenderer.RuleDescriptorKey,
                ["descriptor_value"] = rule.Id,
                ["expect_match"] = true,
                ["headers"] = headers,
            },
        };
    }

    private static JsonObject HeaderMatcher(RateLimitHeaderMatch h)
    {
        // Envoy compares header names case-insensitively; lower case keeps the output stable.
        var matcher = new JsonObject { ["name"] = h.Key.ToLowerInvariant() };
        var value = h.Value ?? string.Empty;
        switch (h.MatchType)
        {
            case HeaderMatchType.Present:
                matcher["present_match"] = true;
                break;
            case HeaderMatchType.Prefix:
                matcher["string_match"] = new JsonObject { ["prefix"] = value };
                break;
            case HeaderMatchType.Regex:
                matcher["string_match"] = new JsonObject { ["safe_regex"] = new JsonObject { ["regex"] = value } };
                break;
            default:
                matcher["string_match"] = new JsonObject { ["exact"] = value };
                break;
        }

        return matcher;
    }

    /// <summary>A protobuf JSON Duration: whole seconds, or 3, 6 or 9 fractional digits.</summary>
    internal static string Duration(TimeSpan span)
    {
        var ticks = span.Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanos = (ticks % TimeSpan.TicksPerSecond) * 100;
        var s = seconds.ToString(CultureInfo.InvariantCulture);
        if (nanos == 0)
        {
            return s + "s";
        }

        var digits = nanos % 1_000_000 == 0 ? (nanos / 1_000_000).ToString("000", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? (nanos / 1_000).ToString("000000", CultureInfo.InvariantCulture)
            : nanos.ToString("000000000", CultureInfo.InvariantCulture);
        return s + "." + digits + "s";
    }
}

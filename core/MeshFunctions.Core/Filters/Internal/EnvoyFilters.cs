using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>EnvoyFilter specs: the seed's local rate limit, and the Lua pair for Host passthrough.</summary>
internal static class EnvoyFilters
{
    public const string ApiVersion = "networking.istio.io/v1alpha3";
    public const string Kind = "EnvoyFilter";

    private const string LocalRateLimitName = "envoy.filters.http.local_ratelimit";
    private const string LocalRateLimitType = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";
    private const string LuaName = "envoy.filters.http.lua";
    private const string LuaType = "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua";

    /// <summary>
    /// Two patches: insert the local_ratelimit filter before the router (without a bucket it does nothing,
    /// and Envoy ignores per-route config of a filter that is not in the chain), then MERGE the bucket into
    /// every inbound route as the seed does.
    /// </summary>
    public static JsonObject LocalRateLimit(FilterLocalRateLimit limit, JsonObject workloadLabels)
    {
        FilterDuration.TryParse(limit.FillInterval, out var interval, out _);
        var insert = new JsonObject
        {
            ["applyTo"] = "HTTP_FILTER",
            ["match"] = InboundChain(),
            ["patch"] = new JsonObject
            {
                ["operation"] = "INSERT_BEFORE",
                ["value"] = new JsonObject
                {
                    ["name"] = LocalRateLimitName,
                    ["typed_config"] = new JsonObject
                    {
                        ["@type"] = LocalRateLimitType,
                        ["stat_prefix"] = "http_local_rate_limiter",
                    },
                },
            },
        };
        var merge = new JsonObject
        {
            ["applyTo"] = "HTTP_ROUTE",
            ["match"] = new JsonObject
            {
                ["context"] = "SIDECAR_INBOUND",
                ["routeConfiguration"] = new JsonObject { ["vhost"] = new JsonObject { ["route"] = new JsonObject { ["action"] = "ANY" } } },
            },
            ["patch"] = new JsonObject
            {
                ["operation"] = "MERGE",
                ["value"] = new JsonObject
                {
                    ["typed_per_filter_config"] = new JsonObject
                    {
                        [LocalRateLimitName] = new JsonObject
                        {
                            ["@type"] = LocalRateLimitType,
                            ["filter_enabled"] = Always("local_rate_limit_enabled"),
                            ["filter_enforced"] = Always("local_rate_limit_enforced"),
                            ["stage"] = 0,
                            ["stat_prefix"] = "inbound",
                            ["token_bucket"] = new JsonObject
                            {
                                ["fill_interval"] = FilterDuration.ToProtoJson(interval),
                                ["max_tokens"] = limit.MaxTokens ?? limit.TokensPerFill,
                                ["tokens_per_fill"] = limit.TokensPerFill,
                            },
                        },
                    },
                },
            },
        };
        return Spec(workloadLabels, insert, merge);
    }

    /// <summary>Inbound: put the original Host (kept by the caller's sidecar) back before routing.</summary>
    public static JsonObject HostInbound(FilterHostPassthrough passthrough, JsonObject workloadLabels) =>
        Spec(workloadLabels, Lua(InboundChain(), LuaScripts.Inbound(passthrough.Header)));

    /// <summary>Outbound on the callers' sidecars, on the Router's port: keep an unknown Host, route by the Router's host.</summary>
    public static JsonObject HostOutbound(FilterHostPassthrough passthrough, RouterTopology topology)
    {
        var router = topology.Router;
        var ns = topology.Namespace;
        var host = topology.ServiceHost;
        var match = new JsonObject
        {
            ["context"] = "SIDECAR_OUTBOUND",
            ["listener"] = new JsonObject
            {
                ["portNumber"] = router.Spec.Port,
                ["filterChain"] = HttpConnectionManager(),
            },
        };
        var spec = new JsonObject();
        if (passthrough.Callers is { Count: > 0 } callers)
        {
            var labels = new JsonObject();
            foreach (var (k, v) in callers)
            {
                labels[k] = v;
            }

            spec["workloadSelector"] = new JsonObject { ["labels"] = labels };
        }

        spec["configPatches"] = new JsonArray(Lua(match, LuaScripts.Outbound(passthrough.Header, router.Metadata.Name, ns, host)));
        return spec;
    }

    private static JsonObject Spec(JsonObject workloadLabels, params JsonObject[] patches) => new()
    {
        ["workloadSelector"] = new JsonObject { ["labels"] = workloadLabels },
        ["configPatches"] = new JsonArray(patches),
    };

    private static JsonObject Lua(JsonObject match, string code) => new()
    {
        ["applyTo"] = "HTTP_FILTER",
        ["match"] = match,
        ["patch"] = new JsonObject
        {
            ["operation"] = "INSERT_BEFORE",
            ["value"] = new JsonObject
            {
                ["name"] = LuaName,
                ["typed_config"] = new JsonObject
                {
                    ["@type"] = LuaType,
                    ["default_source_code"] = new JsonObject { ["inline_string"] = code },
                },
            },
        },
    };

    private static JsonObject InboundChain() => new()
    {
        ["context"] = "SIDECAR_INBOUND",
        ["listener"] = new JsonObject { ["filterChain"] = HttpConnectionManager() },
    };

    private static JsonObject HttpConnectionManager() => new()
    {
        ["filter"] = new JsonObject
        {
            ["name"] = "envoy.filters.network.http_connection_manager",
            ["subFilter"] = new JsonObject { ["name"] = "envoy.filters.http.router" },
        },
    };

    private static JsonObject Always(string runtimeKey) => new()
    {
        ["default_value"] = new JsonObject { ["denominator"] = "HUNDRED", ["numerator"] = 100 },
        ["runtime_key"] = runtimeKey,
    };
}

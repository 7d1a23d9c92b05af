using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Infra.Tests.Crds;

/// <summary>The three MeshFunctions CRDs: names, printer columns and the constraints the models' rules imply.</summary>
internal static class CrdDefinitions
{
    private const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    private const long UInt32Max = uint.MaxValue;

    private static readonly (string, string, string, string) Ready =
        ("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether the rendered objects are applied");

    private static readonly (string, string, string, string) Age =
        ("Age", "date", ".metadata.creationTimestamp", "Time since creation");

    public static IReadOnlyList<CrdDefinition> All { get; } =
    [
        new(typeof(Router), Router.Group, "routers", "router", ["rtr"],
        [
            ("Service", "string", ".metadata.name", "The Service this Router routes (its own name)"),
            ("Port", "integer", ".spec.port", "Service port"),
            ("Protocol", "string", ".spec.protocol", "http, grpc or tcp"),
            ("Branches", "string", ".spec.subsets[*].branch", "Branches: master is production, box-NNNN are sandboxes"),
            ("Weights", "string", ".spec.subsets[?(@.branch==\"master\")].versions", "Version weights of the master branch"),
            Ready,
            Age,
        ],
        new Dictionary<string, JsonObject>
        {
            ["spec"] = Required("port", "subsets"),
            ["spec.port"] = Range(1, 65535),
            ["spec.subsets"] = new() { ["minItems"] = 1, ["x-kubernetes-list-type"] = "map", ["x-kubernetes-list-map-keys"] = new JsonArray("branch") },
            ["spec.subsets[]"] = Required("branch"),
            ["spec.subsets[].branch"] = Label(),
            ["spec.subsets[].versions{}"] = Range(0, 100),
        }),
        new(typeof(IstioFilter), IstioFilter.Group, "istiofilters", "istiofilter", ["isf"],
        [
            ("Target", "string", ".spec.targetRef.name", "The Router this filter patches"),
            ("Priority", "integer", ".spec.priority", "Lower applies first; later filters win a conflict"),
            Ready,
            Age,
        ],
        new Dictionary<string, JsonObject>
        {
            ["spec"] = Required("targetRef"),
            ["spec.targetRef"] = Required("name"),
            ["spec.targetRef.name"] = new() { ["minLength"] = 1 },
            ["spec.targetRef.kind"] = new() { ["pattern"] = "^(Router)?$" },
            ["spec.selector.branches"] = new() { ["minItems"] = 1 },
            ["spec.selector.branches[]"] = Label(),
            ["spec.selector.routes"] = new() { ["minItems"] = 1 },
            ["spec.retries.attempts"] = new() { ["minimum"] = 0 },
            ["spec.fault.delay.percentage.value"] = Range(0, 100),
            ["spec.fault.abort.httpStatus"] = Range(200, 599),
            ["spec.fault.abort.percentage.value"] = Range(0, 100),
            ["spec.mirror.branch"] = Label(),
            ["spec.mirror.port"] = Range(1, 65535),
            ["spec.mirror.percentage.value"] = Range(0, 100),
            ["spec.connectionPool.tcp.maxConnections"] = new() { ["minimum"] = 0 },
            ["spec.connectionPool.http.http2MaxRequests"] = new() { ["minimum"] = 0 },
            ["spec.connectionPool.http.maxRequestsPerConnection"] = new() { ["minimum"] = 0 },
            ["spec.connectionPool.http.maxRetries"] = new() { ["minimum"] = 0 },
            ["spec.connectionPool.http.maxConcurrentStreams"] = new() { ["minimum"] = 0 },
            ["spec.connectionPool.http.h2UpgradePolicy"] = Enum("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"),
            ["spec.outlierDetection.consecutiveGatewayErrors"] = new() { ["minimum"] = 0 },
            ["spec.outlierDetection.consecutive5xxErrors"] = new() { ["minimum"] = 0 },
            ["spec.outlierDetection.maxEjectionPercent"] = Range(0, 100),
            ["spec.outlierDetection.minHealthPercent"] = Range(0, 100),
            ["spec.loadBalancer.simple"] = Enum("UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN"),
            ["spec.authorization.action"] = Enum("ALLOW", "DENY"),
            ["spec.corsPolicy.unmatchedPreflights"] = Enum("FORWARD", "IGNORE"),
            ["spec.localRateLimit"] = Required("tokensPerFill"),
            ["spec.localRateLimit.tokensPerFill"] = Range(1, UInt32Max),
            ["spec.localRateLimit.maxTokens"] = Range(1, UInt32Max),
            ["spec.accessLog"] = Required("enabled"),
        }),
        new(typeof(RateLimit), RateLimit.Group, "ratelimits", "ratelimit", ["rl"],
        [
            ("Hosts", "string", ".spec.hosts", "Protected host[:port]s, one counter each"),
            ("Quota", "integer", ".spec.quota", "Requests allowed per unit"),
            ("Unit", "string", ".spec.unit", "Window of the quota"),
            Ready,
            Age,
        ],
        new Dictionary<string, JsonObject>
        {
            ["spec"] = Required("hosts"),
            ["spec.hosts"] = new() { ["minItems"] = 1 },
            ["spec.hosts[]"] = new() { ["minLength"] = 1 },
            ["spec.quota"] = Range(0, UInt32Max),
            ["spec.stage"] = Range(0, 10),
            ["spec.match.headers[]"] = Required("key"),
            ["spec.match.headers[].key"] = new() { ["minLength"] = 1 },
        }),
    ];

    private static JsonObject Required(params string[] names) => new() { ["required"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) };

    private static JsonObject Range(long min, long max) => new() { ["minimum"] = min, ["maximum"] = max };

    private static JsonObject Label() => new() { ["maxLength"] = 63, ["pattern"] = Dns1123Label };

    private static JsonObject Enum(params string[] values) => new() { ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };
}

using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Filters;

public sealed class IstioFilterValidationTests
{
    private const string Head = """
        apiVersion: filter.service-mesh.zhihu.com/v1
        kind: IstioFilter
        metadata:
          name: f
          namespace: sm-verify
        spec:
          targetRef:
            name: sm-verify-web

        """;

    public static TheoryData<string, string, string> BadBlocks => new()
    {
        { "  retries:\n    attempts: 3\n    atempts: 4", "spec.retries.atempts", "unknown field 'atempts'" },
        { "  timeout: -5s", "spec.timeout", "must not be negative" },
        { "  timeout: 5 seconds", "spec.timeout", "is not a duration" },
        { "  timeout: 0s", "spec.timeout", "must be at least 1ms" },
        { "  fault:\n    abort:\n      httpStatus: 503\n      percentage:\n        value: 150", "spec.fault.abort.percentage.value", "must be between 0 and 100, got 150" },
        { "  fault:\n    delay:\n      percentage:\n        value: 10", "spec.fault.delay.fixedDelay", "is required" },
        { "  mirror:\n    host: capture\n    percentage:\n      value: 100.5", "spec.mirror.percentage.value", "must be between 0 and 100, got 100.5" },
        { "  mirror:\n    host: capture\n    branch: master", "spec.mirror", "exactly one of branch" },
        { "  corsPolicy:\n    allowOrigins:\n    - regex: \"https://(.*\"", "spec.corsPolicy.allowOrigins[0].regex", "is not a valid regular expression" },
        { "  corsPolicy:\n    allowOrigins:\n    - exact: a\n      prefix: b", "spec.corsPolicy.allowOrigins[0]", "exactly one of exact, prefix, regex" },
        { "  blacklist:\n    ipBlocks: [10.0.0.0/33]", "spec.blacklist.ipBlocks[0]", "'10.0.0.0/33' is not an IP address or CIDR block" },
        { "  authorization:\n    ipBlocks: [10.0.0.0/8, not-an-ip]", "spec.authorization.ipBlocks[1]", "'not-an-ip' is not an IP address" },
        { "  authorization:\n    action: AUDIT\n    paths: [/a]", "spec.authorization.action", "must be ALLOW or DENY" },
        { "  authorization:\n    paths: [api]", "spec.authorization.paths[0]", "must start with '/'" },
        { "  authorization: {}", "spec.authorization", "an empty rule would match every request" },
        { "  localRateLimit:\n    tokensPerFill: 0", "spec.localRateLimit.tokensPerFill", "must be between 1 and" },
        { "  localRateLimit:\n    tokensPerFill: 10\n    fillInterval: 10ms", "spec.localRateLimit.fillInterval", "must be at least 50ms" },
        { "  accessLog: {}", "spec.accessLog.enabled", "is required" },
        { "  loadBalancer:\n    simple: FASTEST", "spec.loadBalancer.simple", "must be one of" },
        { "  connectionPool:\n    http:\n      maxRetries: -1", "spec.connectionPool.http.maxRetries", "must be zero or more, got -1" },
        { "  outlierDetection:\n    maxEjectionPercent: 101", "spec.outlierDetection.maxEjectionPercent", "must be between 0 and 100" },
        { "  headers:\n    request:\n      set:\n        \"bad header\": x", "spec.headers.request.set['bad header']", "is not a valid header name" },
        { "  hostPassthrough:\n    header: \"x\\\"y\"", "spec.hostPassthrough.header", "is not a valid header name" },
        { "  selector:\n    branches: [Master]\n  timeout: 1s", "spec.selector.branches[0]", "not a valid branch name" },
        { "  retries:\n    attempts: many", "spec.retries.attempts", "has the wrong type" },
        { "  selector:\n    branches: []\n  timeout: 1s", "spec.selector.branches", "must not be empty" },
    };

    [Theory]
    [MemberData(nameof(BadBlocks))]
    public void Parse_BadFeatureBlock_ReportsFieldAndReason(string block, string path, string message)
    {
        var result = ManifestParser.Parse(Head + block, "f.yaml");

        Assert.Empty(result.Manifests);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("IstioFilter sm-verify/f", error.Subject);
        Assert.NotNull(error.Location);
    }

    [Fact]
    public void Parse_FilterWithoutFeatureBlock_IsRejected()
    {
        var result = ManifestParser.Parse(Head + "  priority: 3\n  selector:\n    branches: [master]", "f.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec", error.Path);
        Assert.StartsWith("must set at least one feature block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryBlock_BindsWithIstioFieldNames()
    {
        var result = ManifestParser.Parse(Head + """
              selector: {branches: [master], routes: [master--default]}
              retries: {attempts: 2, perTryTimeout: 1s, retryOn: "5xx,reset", retryRemoteLocalities: true, retryIgnorePreviousHosts: true, backoff: 25ms}
              timeout: 1m30s
              fault: {delay: {fixedDelay: 1s, percentage: {value: 0.1}}, abort: {grpcStatus: UNAVAILABLE}}
              mirror: {branch: master, version: v1.0.2, percentage: {value: 1}}
              headers: {request: {set: {a: b}, add: {c: d}, remove: [e]}, response: {remove: [f]}}
              corsPolicy: {allowOrigins: [{prefix: "https://"}], allowMethods: [GET], allowHeaders: [x], exposeHeaders: [y], maxAge: 1h, allowCredentials: false, unmatchedPreflights: IGNORE}
              connectionPool: {tcp: {maxConnections: 1, connectTimeout: 1s, tcpKeepalive: {probes: 3, time: 1h, interval: 1m}, maxConnectionDuration: 1h, idleTimeout: 1h}, http: {http1MaxPendingRequests: 1, http2MaxRequests: 1, maxRequestsPerConnection: 1, maxRetries: 1, idleTimeout: 1s, h2UpgradePolicy: UPGRADE, useClientProtocol: true, maxConcurrentStreams: 9}}
              outlierDetection: {splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 1, consecutiveGatewayErrors: 1, consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1s, maxEjectionPercent: 10, minHealthPercent: 10}
              loadBalancer: {consistentHash: {httpCookie: {name: s, path: /, ttl: 0s}}, warmupDurationSecs: 30s}
              authorization: {action: DENY, principals: [p], namespaces: [n], ipBlocks: ["2001:db8::/32"], remoteIpBlocks: [1.2.3.4/32], paths: [/x], methods: [GET]}
              blacklist: {ipBlocks: [1.1.1.1], remoteIpBlocks: [2.2.2.0/24], principals: [q], namespaces: [m]}
              localRateLimit: {tokensPerFill: 1000, fillInterval: 1s, maxTokens: 2000}
              accessLog: {enabled: true, providers: [envoy]}
              hostPassthrough: {header: x-my-host, callers: {app: page}}
            """, "f.yaml");

        Assert.Empty(result.Diagnostics);
        var spec = Assert.IsType<IstioFilter>(Assert.Single(result.Manifests).Resource).Spec;
        Assert.Equal("25ms", spec.Retries!.Backoff);
        Assert.Equal("UNAVAILABLE", spec.Fault!.Abort!.GrpcStatus);
        Assert.Equal("s", spec.LoadBalancer!.ConsistentHash!.HttpCookie!.Name);
        Assert.Equal("page", spec.HostPassthrough!.Callers!["app"]);
    }

    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("1m30s", 900_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("250us", 2_500L)]
    public void FilterDuration_GoDurations_Parse(string text, long ticks)
    {
        Assert.True(FilterDuration.TryParse(text, out var value, out _));
        Assert.Equal(ticks, value.Ticks);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("5", "missing unit")]
    [InlineData("5d", "unknown unit 'd'")]
    [InlineData("s", "expected a number")]
    public void FilterDuration_Garbage_SaysWhy(string text, string reason)
    {
        Assert.False(FilterDuration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_000, "0.0001s")]
    [InlineData(5_000_000, "0.5s")]
    [InlineData(20_000_000, "2s")]
    public void FilterDuration_ToProtoJson_UsesSecondsForm(long ticks, string expected) =>
        Assert.Equal(expected, FilterDuration.ToProtoJson(TimeSpan.FromTicks(ticks)));
}

using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.RateLimiting;

public sealed class RateLimitRendererTests
{
    [Fact]
    public void Render_Options_AreWrittenIntoTheFilter()
    {
        var options = new RateLimitRenderOptions
        {
            Domain = "edge",
            RlsHost = "ratelimit.infra.svc.cluster.local",
            RlsPort = 9000,
            Timeout = TimeSpan.FromSeconds(1.5),
            FailureModeDeny = true,
            EnableXRateLimitHeaders = true,
            ServiceLabel = "app.kubernetes.io/name",
            ExtraWorkloadLabels = new Dictionary<string, string>(),
        };

        var result = RateLimitRenderer.Render([Rule("ns", "a", ["svc"])], options);

        var filter = Assert.Single(result.EnvoyFilters);
        var config = filter["spec"]!["configPatches"]![0]!["patch"]!["value"]!["typed_config"]!;
        Assert.Equal("edge", (string?)config["domain"]);
        Assert.Equal("1.500s", (string?)config["timeout"]);
        Assert.True((bool)config["failure_mode_deny"]!);
        Assert.Equal("DRAFT_VERSION_03", (string?)config["enable_x_ratelimit_headers"]);
        Assert.Equal("outbound|9000||ratelimit.infra.svc.cluster.local", (string?)config["rate_limit_service"]!["grpc_service"]!["envoy_grpc"]!["cluster_name"]);
        Assert.Equal("""{"app.kubernetes.io/name":"svc"}""", filter["spec"]!["workloadSelector"]!["labels"]!.ToJsonString());
        Assert.Equal("edge", result.RlsConfig.Domain);
        Assert.Equal("*/ratelimit.infra.svc.cluster.local", options.SidecarEgressHost);
    }

    [Fact]
    public void Render_BadOptions_ReportsEveryProblemAndRendersNothing()
    {
        var options = new RateLimitRenderOptions { Domain = "", RlsPort = 0, Timeout = TimeSpan.FromSeconds(-1) };

        var result = RateLimitRenderer.Render([Rule("ns", "a", ["svc"])], options);

        Assert.Empty(result.EnvoyFilters);
        Assert.Equal(["Domain", "RlsPort", "Timeout"], result.Diagnostics.Select(d => d.Path));
    }

    [Fact]
    public void Render_HostOutsideTheCluster_IsReportedAndTheOthersStillRender()
    {
        var result = RateLimitRenderer.Render([Rule("ns", "bad", ["api.example.com"]), Rule("ns", "good", ["svc"])]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("spec.hosts[0]", "RateLimit ns/bad"), (error.Path, error.Subject));
        Assert.Contains("is not a service of this cluster", error.Message, StringComparison.Ordinal);
        Assert.Single(result.EnvoyFilters);
        Assert.Equal("ns/good", Assert.Single(Assert.Single(result.RlsConfig.Descriptors).Descriptors).Value);
    }

    [Fact]
    public void Render_TwoSpellingsOfOneHost_IsAnError()
    {
        var result = RateLimitRenderer.Render([Rule("ns", "a", ["svc", "svc.ns.svc.cluster.local"])]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.hosts[1]", error.Path);
        Assert.Contains("names the same host as spec.hosts[0] (svc.ns.svc.cluster.local)", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.EnvoyFilters);
    }

    [Fact]
    public void Render_InvalidRateLimit_IsReportedNotRendered()
    {
        var bad = Rule("ns", "a", ["svc"]) with { Spec = new RateLimitSpec { Hosts = ["svc"], Quota = 5_000_000_000 } };

        var result = RateLimitRenderer.Render([bad]);

        Assert.Equal("spec.quota", Assert.Single(result.Diagnostics).Path);
        Assert.Empty(result.EnvoyFilters);
        Assert.Empty(result.RlsConfig.Descriptors);
    }

    [Fact]
    public void Render_SameRateLimitTwice_IsAnError()
    {
        var result = RateLimitRenderer.Render([Rule("ns", "a", ["svc"]), Rule("ns", "a", ["svc"])]);

        Assert.Contains("given twice", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_InputOrder_DoesNotChangeTheOutput()
    {
        RateLimit[] rules = [Rule("b", "x", ["svc"]), Rule("a", "y", ["svc", "other.b"]), Rule("a", "x", ["svc"])];

        var forward = RateLimitRenderer.Render(rules);
        var backward = RateLimitRenderer.Render(rules.Reverse());

        Assert.Equal(Yaml(forward), Yaml(backward));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(20, "0.020s")]
    [InlineData(1000, "1s")]
    [InlineData(10_000, "10s")]
    [InlineData(1_250, "1.250s")]
    public void Duration_Milliseconds_ProtobufJsonSpelling(int ms, string expected)
    {
        Assert.Equal(expected, RateLimitEnvoyFilter.Duration(TimeSpan.FromMilliseconds(ms)));
    }

    [Fact]
    public void Duration_Microseconds_UsesSixDigits()
    {
        Assert.Equal("0.000100s", RateLimitEnvoyFilter.Duration(TimeSpan.FromTicks(1000)));
        Assert.Equal("0.000000100s", RateLimitEnvoyFilter.Duration(TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData("svc", "ns", "svc.ns.svc.cluster.local")]
    [InlineData("svc:81", "ns", "svc.ns.svc.cluster.local:81")]
    [InlineData("svc.other", "other", "svc.other.svc.cluster.local")]
    [InlineData("svc.other.svc:80", "other", "svc.other.svc.cluster.local:80")]
    [InlineData("svc.other.svc.cluster.local", "other", "svc.other.svc.cluster.local")]
    public void TryParse_HostForms_ResolveToOneCanonicalHost(string host, string ns, string canonical)
    {
        var parsed = RateLimitHost.TryParse(host, "ns", "cluster.local", out var error);

        Assert.Null(error);
        Assert.Equal((ns, canonical), (parsed!.Namespace, parsed.Canonical));
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("svc.ns.svc.other.domain")]
    [InlineData("x.svc.ns.svc.cluster.local")]
    public void TryParse_NotAClusterService_Fails(string host)
    {
        Assert.Null(RateLimitHost.TryParse(host, "ns", "cluster.local", out var error));
        Assert.Contains("is not a service of this cluster", error, StringComparison.Ordinal);
    }

    private static string Yaml(RateLimitRenderResult result) =>
        Core.Yaml.YamlWriter.WriteDocuments(result.EnvoyFilters) + RlsConfigYaml.Write(result.RlsConfig);

    private static RateLimit Rule(string ns, string name, List<string> hosts) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new RateLimitSpec { Hosts = hosts, Quota = 10 },
    };
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Filters;

public sealed class IstioFilterEngineTests
{
    private static IstioFilter Filter(string name, int priority, string body, string? created = null) => FilterFixture.ParseFilter($"""
        apiVersion: filter.service-mesh.zhihu.com/v1
        kind: IstioFilter
        metadata:
          name: {name}
          namespace: sm-verify
        {(created is null ? string.Empty : "  creationTimestamp: \"" + created + "\"")}
        spec:
          targetRef:
            name: sm-verify-web
          priority: {priority}
        {body}
        """);

    private static JsonNode? MasterRoute(FilterResult result) => result.VirtualService["spec"]!["http"]![1];

    [Fact]
    public void Apply_TwoFiltersSetRetriesOnSameRoute_HigherPriorityWinsAndLoserIsTold()
    {
        var low = Filter("low", 1, "  retries:\n    attempts: 5");
        var high = Filter("high", 9, "  retries:\n    attempts: 1");

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [high, low]);

        Assert.Equal(1, (int)MasterRoute(result)!["retries"]!["attempts"]!);
        var lowOutcome = result.Outcomes.Single(o => o.Filter == low);
        var conflict = Assert.Single(lowOutcome.Conflicts, c => c.Path == "spec.http[1].retries");
        Assert.Equal(FilterOutcomeStatus.Applied, lowOutcome.Status);
        Assert.Contains("overridden by IstioFilter sm-verify/high (priority 9)", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("VirtualService sm-verify/sm-verify-web", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("IstioFilter sm-verify/low", conflict.Subject);
        Assert.Empty(result.Outcomes.Single(o => o.Filter == high).Diagnostics);
    }

    [Fact]
    public void Apply_SamePriority_LaterCreationTimestampWins()
    {
        var older = Filter("zz-older", 0, "  timeout: 1s", "2026-01-01T00:00:00Z");
        var newer = Filter("aa-newer", 0, "  timeout: 2s", "2026-02-01T00:00:00Z");

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [newer, older]);

        Assert.Equal("2s", (string?)MasterRoute(result)!["timeout"]);
        Assert.Equal(["zz-older", "aa-newer"], result.Outcomes.Select(o => o.Filter.Metadata.Name));
        Assert.NotEmpty(result.Outcomes[0].Conflicts);
    }

    [Fact]
    public void Apply_ThreeFiltersOnOneField_EveryLoserNamesTheFinalWinner()
    {
        var a = Filter("a", 1, "  timeout: 1s");
        var b = Filter("b", 2, "  timeout: 2s");
        var c = Filter("c", 3, "  timeout: 3s");

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [c, a, b]);

        Assert.All(result.Outcomes.Take(2), o => Assert.All(o.Conflicts, d => Assert.Contains("IstioFilter sm-verify/c ", d.Message, StringComparison.Ordinal)));
        Assert.Equal(2, result.Outcomes[0].Conflicts.Count());
    }

    [Fact]
    public void Apply_SameValueFromTwoFilters_IsNoConflict()
    {
        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [Filter("a", 1, "  timeout: 1s"), Filter("b", 2, "  timeout: 1s")]);

        Assert.All(result.Outcomes, o => Assert.Empty(o.Diagnostics));
    }

    [Fact]
    public void Apply_TwoLocalRateLimitsOnOneBranch_OnlyTheWinnersEnvoyFilterIsRendered()
    {
        var a = Filter("a", 1, "  localRateLimit:\n    tokensPerFill: 10");
        var b = Filter("b", 2, "  localRateLimit:\n    tokensPerFill: 20");

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [a, b]);

        var names = result.ExtraObjects.Select(o => (string?)o["metadata"]!["name"]).ToList();
        Assert.Equal(["b-locallimit", "b-locallimit"], names);
        Assert.Contains(result.Outcomes[0].Conflicts, d => d.Path == "workloads[master].localRateLimit");
        Assert.Contains(result.Outcomes[0].Conflicts, d => d.Path == "workloads[box-0999].localRateLimit");
    }

    [Fact]
    public void Apply_Always_LeavesInputUntouched()
    {
        var rendered = FilterFixture.LoadBase();
        var before = rendered.VirtualService.ToJsonString() + string.Concat(rendered.DestinationRules.Select(d => d.ToJsonString()));

        var result = IstioFilterEngine.Apply(rendered, [Filter("a", 0, "  timeout: 1s\n  loadBalancer:\n    simple: RANDOM")]);

        Assert.Equal(before, rendered.VirtualService.ToJsonString() + string.Concat(rendered.DestinationRules.Select(d => d.ToJsonString())));
        Assert.NotSame(rendered.VirtualService, result.VirtualService);
        Assert.Equal("RANDOM", (string?)result.DestinationRules[0]["spec"]!["trafficPolicy"]!["loadBalancer"]!["simple"]);
    }

    [Fact]
    public void Apply_FilterForAnotherRouterOrNamespace_IsIgnored()
    {
        var other = Filter("other", 0, "  timeout: 1s") is var f ? f with { Spec = f.Spec with { TargetRef = new TargetRef { Name = "sm-verify-title" } } } : null!;
        var elsewhere = Filter("elsewhere", 0, "  timeout: 1s") is var g ? g with { Metadata = g.Metadata with { Namespace = "other-ns" } } : null!;

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [other, elsewhere]);

        Assert.Empty(result.Outcomes);
        Assert.Null(MasterRoute(result)!["timeout"]);
    }

    [Fact]
    public void Apply_FailingFilter_AppliesNothingAtAll()
    {
        var bad = Filter("bad", 0, "  timeout: 7s\n  mirror:\n    branch: box-0999\n    version: v2");

        var result = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [bad]);

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(FilterOutcomeStatus.Failed, outcome.Status);
        Assert.Equal("spec.mirror.version", Assert.Single(outcome.Diagnostics).Path);
        Assert.Null(MasterRoute(result)!["timeout"]);
    }

    [Fact]
    public void Apply_CustomRenderOptions_SelectsWorkloadsAndVersionsWithThoseLabels()
    {
        var options = RenderOptions.Default with { AppLabel = "app.kubernetes.io/name", BranchLabel = "zhihu.com/branch", VersionLabel = "zhihu.com/version", ClusterDomain = "corp.local" };
        var router = FilterFixture.LoadBase().Router;
        var filter = Filter("f", 0, "  accessLog:\n    enabled: false\n  hostPassthrough: {}\n  mirror:\n    branch: master\n    version: v1.0.2");

        var result = IstioFilterEngine.Apply(RouterRenderer.Render(router, options), [filter], options);

        var telemetry = result.ExtraObjects.First(o => (string?)o["kind"] == "Telemetry");
        Assert.Equal("sm-verify-web", (string?)telemetry["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        Assert.Equal("master", (string?)telemetry["spec"]!["selector"]!["matchLabels"]!["zhihu.com/branch"]);
        Assert.Equal("v1-0-2", (string?)MasterRoute(result)!["mirror"]!["subset"]);
        var outbound = result.ExtraObjects.Single(o => ((string?)o["metadata"]!["name"])!.EndsWith("-host-out", StringComparison.Ordinal));
        Assert.Contains("sm-verify-web.sm-verify.svc.corp.local", outbound.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_VeryLongFilterName_ExtraObjectNamesStayValidAndStable()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".b";
        var filter = Filter(name, 0, "  blacklist:\n    ipBlocks: [10.0.0.1]");

        var first = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [filter]).ExtraObjects.Select(o => (string)o["metadata"]!["name"]!).ToList();
        var again = IstioFilterEngine.Apply(FilterFixture.LoadBase(), [filter]).ExtraObjects.Select(o => (string)o["metadata"]!["name"]!).ToList();

        Assert.Equal(first, again);
        Assert.All(first, n => Assert.True(Names.IsDns1123Subdomain(n), n));
        Assert.All(first, n => Assert.EndsWith("-blacklist", n, StringComparison.Ordinal));
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Tests.Planning;

public sealed class SubsetReferencesTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly JsonObject VirtualService = Parse("""
        {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"web","namespace":"shop"},
         "spec":{"hosts":["web"],
          "http":[{"route":[{"destination":{"host":"web","subset":"v1"}},{"destination":{"host":"web.shop.svc.cluster.local","subset":"v2"}}],
                   "mirror":{"host":"audit.tools","subset":"m1"},
                   "mirrors":[{"destination":{"host":"web","subset":"shadow"}}]}],
          "tcp":[{"route":[{"destination":{"host":"db","subset":"primary"}}]}],
          "tls":[{"route":[{"destination":{"host":"api.example.com","subset":"eu"}},{"destination":{"host":"nosubset"}}]}]}}
        """);

    private static JsonObject Rule(string ns, string host, params string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "DestinationRule",
        ["metadata"] = new JsonObject { ["name"] = host.Split('.')[0], ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["host"] = host,
            ["subsets"] = new JsonArray(subsets.Select(s => (JsonNode)new JsonObject { ["name"] = s }).ToArray()),
        },
    };

    [Fact]
    public void Collect_EveryKindOfReference_ResolvedHostsAndPaths()
    {
        var refs = SubsetReferences.Collect(VirtualService);

        Assert.Equal(
            [
                ("web.shop.svc.cluster.local", "v1", "spec.http[0].route[0].destination.subset"),
                ("web.shop.svc.cluster.local", "v2", "spec.http[0].route[1].destination.subset"),
                ("audit.tools", "m1", "spec.http[0].mirror.subset"),
                ("web.shop.svc.cluster.local", "shadow", "spec.http[0].mirrors[0].destination.subset"),
                ("db.shop.svc.cluster.local", "primary", "spec.tcp[0].route[0].destination.subset"),
                ("api.example.com", "eu", "spec.tls[0].route[0].destination.subset"),
            ],
            refs.Select(r => (r.Host, r.Subset, r.Path)));
        Assert.All(refs, r => Assert.Equal(("shop", "web"), (r.VirtualServiceNamespace, r.VirtualServiceName)));
    }

    [Fact]
    public void FindMissing_ShortDestinationRuleHost_ResolvedAgainstItsNamespace()
    {
        var objects = new[]
        {
            VirtualService,
            Rule("shop", "web", "v1", "v2", "shadow"),
            Rule("shop", "db", "primary"),
            Rule("istio-system", "audit.tools", "m1"),
            Rule("shop", "api.example.com", "eu"),
        };

        Assert.Empty(SubsetReferences.FindMissing(objects));
    }

    [Fact]
    public void FindMissing_SubsetAbsent_ReportsWithPathAndSafeOrder()
    {
        var objects = new[]
        {
            VirtualService,
            Rule("shop", "web", "v1", "shadow"),
            Rule("other", "db", "primary"),
            Rule("istio-system", "audit.tools", "m1"),
        };

        var violations = SubsetReferences.FindMissing(objects);

        Assert.Collection(
            violations,
            v =>
            {
                Assert.Equal("spec.http[0].route[1].destination.subset", v.Reference.Path);
                Assert.True(v.DestinationRuleExists);
                var d = v.ToDiagnostic();
                Assert.Equal("VirtualService shop/web", d.Subject);
                Assert.Contains("add the subset to the DestinationRule first", d.Message, StringComparison.Ordinal);
            },
            v =>
            {
                // db in namespace "other" is a different host from db.shop.
                Assert.Equal("db.shop.svc.cluster.local", v.Reference.Host);
                Assert.False(v.DestinationRuleExists);
            },
            v => Assert.Equal("api.example.com", v.Reference.Host));
    }

    [Fact]
    public void FindMissing_RuleOnlyInUnrelatedNamespace_NotUsedAsIstioWouldNot()
    {
        // istiod searches client namespace → service namespace → root namespace; "tools" is none of them for web.shop.
        var objects = new[] { VirtualService, Rule("shop", "db", "primary"), Rule("shop", "api.example.com", "eu"), Rule("shop", "audit.tools", "m1"), Rule("tools", "web.shop.svc.cluster.local", "v1", "v2", "shadow") };

        var violations = SubsetReferences.FindMissing(objects);

        Assert.All(violations, v => Assert.Equal("web.shop.svc.cluster.local", v.Reference.Host));
        Assert.Equal(3, violations.Count);
        Assert.All(violations, v => Assert.False(v.DestinationRuleExists));
    }

    [Fact]
    public void FindMissing_ExportToDotInServiceNamespace_HiddenFromOtherNamespaces()
    {
        var rule = Rule("web-ns", "web.web-ns.svc.cluster.local", "v1");
        rule["spec"]!["exportTo"] = new JsonArray(".");
        var vs = VirtualService.DeepClone().AsObject();
        vs["spec"] = JsonNode.Parse("""{"http":[{"route":[{"destination":{"host":"web.web-ns.svc.cluster.local","subset":"v1"}}]}]}""");

        var violations = SubsetReferences.FindMissing([vs, rule]);

        Assert.False(Assert.Single(violations).DestinationRuleExists);
    }

    [Fact]
    public void FindMissing_ExactHostBeatsWildcardInSameNamespace()
    {
        var vs = VirtualService.DeepClone().AsObject();
        vs["spec"] = JsonNode.Parse("""{"http":[{"route":[{"destination":{"host":"web","subset":"v9"}}]}]}""");

        var violations = SubsetReferences.FindMissing([vs, Rule("shop", "*.shop.svc.cluster.local", "v9"), Rule("shop", "web", "v1")]);

        Assert.True(Assert.Single(violations).DestinationRuleExists);
    }

    [Fact]
    public void FindMissing_IgnoreHostsWithoutRule_OnlyKnownHostsChecked()
    {
        var objects = new[] { VirtualService, Rule("shop", "web", "v1", "shadow") };

        var violations = SubsetReferences.FindMissing(objects, new SubsetCheckOptions { IgnoreHostsWithoutDestinationRule = true });

        Assert.Equal("v2", Assert.Single(violations).Reference.Subset);
    }

    [Fact]
    public void FindMissing_MalformedObjects_NoCrash()
    {
        var objects = new[]
        {
            Parse("""{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":3},"spec":{"http":[7,{"route":"x"},{"route":[null,{"destination":{"host":5,"subset":"a"}}]}],"tcp":{}}}"""),
            Parse("""{"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{},"spec":{"host":["x"],"subsets":[1,{"name":null}]}}"""),
            Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}"""),
            Parse("""{"kind":"VirtualService"}"""),
        };

        Assert.Empty(SubsetReferences.FindMissing(objects));
    }

    [Theory]
    [InlineData("web", "shop", "web.shop.svc.cluster.local")]
    [InlineData("web", null, "web.default.svc.cluster.local")]
    [InlineData("web.shop", "other", "web.shop")]
    [InlineData("*", "shop", "*")]
    [InlineData("*.example.com", "shop", "*.example.com")]
    public void ResolveHost_LikeIstio_OnlyDotlessNamesExpanded(string host, string? ns, string expected)
    {
        Assert.Equal(expected, SubsetReferences.ResolveHost(host, ns));
    }
}

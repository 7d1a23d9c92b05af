using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class SubsetGuardTests
{
    private static readonly JsonObject[] None = [];

    [Fact]
    public void Check_VirtualServiceAddsSubsetMissingInDestinationRule_DeniedNamingSubsetAndSafeOrder()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"), ("reviews", "v3"));
        var dr = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Update, vs, vs, [vs], [dr]);

        Assert.False(decision.Allowed);
        Assert.Equal(
            "VirtualService prod/reviews routes to subsets that do not exist yet (requests would fail with 503): host reviews.prod.svc.cluster.local: "
            + "subset(s) v3 are not defined by DestinationRule prod/reviews (it defines subsets v1, v2). Safe order: add subset(s) v3 to "
            + "DestinationRule prod/reviews first, wait for propagation (a few seconds), then apply this VirtualService",
            decision.Message);
    }

    [Fact]
    public void Check_VirtualServiceSubsetsAllDefined_Allowed()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"), ("reviews", "v2"));

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [Dr("prod", "reviews", "reviews", "v1", "v2")]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_VirtualServiceHostWithoutDestinationRule_DeniedListingSearchedNamespaces()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"));

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, None);

        Assert.False(decision.Allowed);
        Assert.Contains("host reviews.prod.svc.cluster.local has no DestinationRule (searched namespaces prod, istio-system)", decision.Message);
        Assert.Contains("create a DestinationRule for reviews.prod.svc.cluster.local with subset(s) v1 first", decision.Message);
    }

    [Theory]
    [InlineData("reviews", "reviews.prod.svc.cluster.local", true)]
    [InlineData("reviews.prod.svc.cluster.local", "reviews", true)]
    [InlineData("reviews", "reviews.other.svc.cluster.local", false)]
    [InlineData("reviews.prod", "reviews.prod.svc.cluster.local", false)]
    public void Check_ShortHostsResolvedAgainstOwnNamespace(string vsHost, string drHost, bool allowed)
    {
        var vs = Vs("prod", "reviews", (vsHost, "v1"));

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [Dr("prod", "reviews", drHost, "v1")]);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void Check_DestinationRuleInServiceNamespace_FoundForClientNamespaceVirtualService()
    {
        var vs = Vs("web", "to-reviews", ("reviews.prod.svc.cluster.local", "v2"));
        var dr = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [dr]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_ClientNamespaceRuleShadowsServiceNamespaceRule_LikeIstio()
    {
        var vs = Vs("web", "to-reviews", ("reviews.prod.svc.cluster.local", "v2"));
        var local = Dr("web", "reviews-local", "reviews.prod.svc.cluster.local", "v1");
        var owner = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [local, owner]);

        Assert.False(decision.Allowed);
        Assert.Contains("not defined by DestinationRule web/reviews-local", decision.Message);
    }

    [Fact]
    public void Check_MirrorAndMirrorsSubsets_Checked()
    {
        var vs = Parse("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: prod}
            spec:
              hosts: [reviews]
              http:
              - route: [{destination: {host: reviews, subset: v1}}]
                mirror: {host: reviews, subset: shadow}
                mirrors:
                - destination: {host: ratings, subset: canary}
                  percentage: {value: 5}
            """);
        var drs = new[] { Dr("prod", "reviews", "reviews", "v1"), Dr("prod", "ratings", "ratings", "v1") };

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, drs);

        Assert.False(decision.Allowed);
        Assert.Contains("host ratings.prod.svc.cluster.local: subset(s) canary are not defined", decision.Message);
        Assert.Contains("host reviews.prod.svc.cluster.local: subset(s) shadow are not defined", decision.Message);
    }

    [Fact]
    public void Check_DestinationRuleRemovesUsedSubset_DeniedNamingVirtualServiceAndOrder()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"), ("reviews", "v2"));
        var oldDr = Dr("prod", "reviews", "reviews", "v1", "v2");
        var newDr = Dr("prod", "reviews", "reviews", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Update, oldDr, newDr, [vs], [oldDr]);

        Assert.False(decision.Allowed);
        Assert.Equal(
            "DestinationRule prod/reviews may not remove subsets that are in use (requests would fail with 503): VirtualService prod/reviews still routes "
            + "to subset(s) v1 of host reviews.prod.svc.cluster.local (spec.http[0].route[0].destination.subset). Safe order: remove subset(s) v1 from "
            + "VirtualService prod/reviews first, wait for propagation (a few seconds), then remove them from DestinationRule prod/reviews",
            decision.Message);
    }

    [Fact]
    public void Check_DestinationRuleRemovesUnusedSubset_Allowed()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v2"));
        var oldDr = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Update, oldDr, Dr("prod", "reviews", "reviews", "v2"), [vs], [oldDr]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_DestinationRuleDeletedWhileUsed_Denied()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"), ("reviews", "v2"));
        var dr = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Delete, dr, null, [vs], [dr]);

        Assert.False(decision.Allowed);
        Assert.StartsWith("DestinationRule prod/reviews may not be deleted (requests would fail with 503): VirtualService prod/reviews still routes to subset(s) v1, v2", decision.Message);
        Assert.EndsWith("then delete DestinationRule prod/reviews", decision.Message);
    }

    [Fact]
    public void Check_DestinationRuleDeletedButAnotherDefinesSubsets_Allowed()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"));
        var dr = Dr("prod", "reviews", "reviews", "v1");
        var twin = Dr("prod", "reviews-v1", "reviews.prod.svc.cluster.local", "v1");

        var decision = SubsetGuard.Check(AdmissionOperation.Delete, dr, null, [vs], [dr, twin]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_DestinationRuleChangeForUnrelatedHost_Allowed()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"));
        var liveReviews = Dr("prod", "reviews", "reviews", "v1");
        var oldRatings = Dr("prod", "ratings", "ratings", "v1", "v2");

        var update = SubsetGuard.Check(AdmissionOperation.Update, oldRatings, Dr("prod", "ratings", "ratings", "v3"), [vs], [liveReviews, oldRatings]);
        var delete = SubsetGuard.Check(AdmissionOperation.Delete, oldRatings, null, [vs], [liveReviews, oldRatings]);

        Assert.True(update.Allowed, update.Message);
        Assert.True(delete.Allowed, delete.Message);
    }

    [Fact]
    public void Check_VirtualServiceAlreadyBrokenBeforeDestinationRuleChange_NotBlamedOnTheRule()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v9"));
        var oldDr = Dr("prod", "reviews", "reviews", "v1", "v2");

        var decision = SubsetGuard.Check(AdmissionOperation.Update, oldDr, Dr("prod", "reviews", "reviews", "v2"), [vs], [oldDr]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_CreateDestinationRuleOrDeleteVirtualService_AlwaysAllowed()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"));
        var dr = Dr("prod", "reviews", "reviews");

        Assert.True(SubsetGuard.Check(AdmissionOperation.Create, null, dr, [vs], None).Allowed);
        Assert.True(SubsetGuard.Check(AdmissionOperation.Delete, vs, null, [vs], None).Allowed);
    }

    [Fact]
    public void Check_WildcardDestinationRuleAndRootNamespace_Resolved()
    {
        var vs = Vs("prod", "reviews", ("reviews", "v1"), ("api.example.com", "blue"));
        var wildcard = Dr("prod", "all", "*.prod.svc.cluster.local", "v1");
        var root = Dr("istio-system", "external", "api.example.com", "blue");

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [wildcard, root]);

        Assert.True(decision.Allowed, decision.Message);
    }

    [Fact]
    public void Check_TcpAndTlsRouteSubsets_Checked()
    {
        var vs = Parse("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db, namespace: data}
            spec:
              hosts: [db]
              tcp:
              - match: [{port: 5432}]
                route: [{destination: {host: db, subset: primary}}]
              tls:
              - match: [{sniHosts: [db]}]
                route: [{destination: {host: db, subset: replica}}]
            """);

        var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, None, [Dr("data", "db", "db", "primary")]);

        Assert.False(decision.Allowed);
        Assert.Contains("subset(s) replica are not defined", decision.Message);
    }

    private static JsonObject Vs(string ns, string name, params (string Host, string Subset)[] destinations)
    {
        var route = new JsonArray(destinations.Select(d => (JsonNode?)new JsonObject
        {
            ["destination"] = new JsonObject { ["host"] = d.Host, ["subset"] = d.Subset },
            ["weight"] = 100 / destinations.Length,
        }).ToArray());
        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "VirtualService",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["hosts"] = new JsonArray(name), ["http"] = new JsonArray(new JsonObject { ["route"] = route }) },
        };
    }

    private static JsonObject Dr(string ns, string name, string host, params string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "DestinationRule",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["host"] = host,
            ["subsets"] = new JsonArray(subsets.Select(s => (JsonNode?)new JsonObject { ["name"] = s, ["labels"] = new JsonObject { ["version"] = s } }).ToArray()),
        },
    };

    private static JsonObject Parse(string yaml) => (JsonObject)YamlReader.Read(yaml).Single().Root!;
}

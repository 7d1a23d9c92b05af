using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Sidecars;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class SidecarDefaultsTests
{
    [Fact]
    public void DefaultSidecar_Namespace_SelectorlessDefaultWithLocalAndIstioSystemEgress()
    {
        var sidecar = SidecarDefaults.DefaultSidecar("prod");

        Assert.Equal(
            """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: default
              namespace: prod
              labels:
                app.kubernetes.io/managed-by: meshfunctions
            spec:
              egress:
              - hosts:
                - ./*
                - istio-system/*

            """.ReplaceLineEndings("\n"),
            YamlWriter.Write(sidecar));
    }

    [IstioSchemaFact]
    public void DefaultSidecar_ValidAgainstIstioSchema()
    {
        Assert.Empty(IstioSchemas.Validate(SidecarDefaults.DefaultSidecar("prod")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Prod")]
    [InlineData("a/b")]
    public void DefaultSidecar_InvalidNamespace_ThrowsNamingIt(string ns)
    {
        var ex = Assert.Throws<ArgumentException>(() => SidecarDefaults.DefaultSidecar(ns));

        Assert.Contains($"namespace '{ns}' is not a valid namespace name", ex.Message);
    }

    [Fact]
    public void Merge_Dependencies_AddsSortedFqdnEntries()
    {
        var sidecar = SidecarDefaults.DefaultSidecar("web");

        var result = SidecarEgress.Merge(sidecar, [new("prod", "reviews"), new("payments", "*"), new("prod", "api.example.com"), new("prod", "reviews")]);

        Assert.True(result.Changed);
        Assert.Equal(["./*", "istio-system/*", "payments/*", "prod/api.example.com", "prod/reviews.prod.svc.cluster.local"], Hosts(result.Sidecar));
        Assert.Equal(["payments/*", "prod/api.example.com", "prod/reviews.prod.svc.cluster.local"], result.Added);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Merge_SameDependenciesAgain_Unchanged()
    {
        var deps = new SidecarDependency[] { new("prod", "reviews"), new("shop", "*.internal.example.com") };
        var once = SidecarEgress.Merge(SidecarDefaults.DefaultSidecar("web"), deps).Sidecar;

        var twice = SidecarEgress.Merge(once, deps);

        Assert.False(twice.Changed);
        Assert.Empty(twice.Added);
        Assert.True(JsonNode.DeepEquals(once, twice.Sidecar));
    }

    [Theory]
    [InlineData("web", "reviews")]
    [InlineData("istio-system", "istiod")]
    public void Merge_DependencyCoveredByWildcardEntry_NotAdded(string ns, string host)
    {
        var result = SidecarEgress.Merge(SidecarDefaults.DefaultSidecar("web"), [new(ns, host)]);

        Assert.False(result.Changed);
    }

    [Fact]
    public void Merge_WildcardHostEntry_CoversSubdomains()
    {
        var sidecar = SidecarEgress.Merge(SidecarDefaults.DefaultSidecar("web"), [new("shop", "*.example.com")]).Sidecar;

        var result = SidecarEgress.Merge(sidecar, [new("shop", "api.example.com"), new("shop", "example.com")]);

        Assert.Equal(["shop/example.com"], result.Added);
    }

    [Theory]
    [InlineData("*", "reviews", "namespace '*' is not a namespace name")]
    [InlineData("prod", "~reviews", "host '~reviews' must be a DNS name without '/' or '~'")]
    [InlineData("prod", "a/b", "host 'a/b' must be a DNS name without '/' or '~'")]
    [InlineData("prod", "Reviews", "host 'Reviews' is not a DNS name")]
    public void Merge_InvalidDependency_ReportedAndSkipped(string ns, string host, string error)
    {
        var result = SidecarEgress.Merge(SidecarDefaults.DefaultSidecar("web"), [new(ns, host), new("prod", "ratings")]);

        var d = Assert.Single(result.Errors);
        Assert.Equal("dependencies[0]", d.Path);
        Assert.StartsWith(error, d.Message);
        Assert.Equal(["prod/ratings.prod.svc.cluster.local"], result.Added);
    }

    [Fact]
    public void Merge_SidecarWithPortListenerOnly_AddsCatchAllListener()
    {
        var sidecar = (JsonObject)YamlReader.Read("""
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: web}
            spec:
              egress:
              - port: {number: 9080, protocol: HTTP, name: http}
                hosts: [prod/*]
            """).Single().Root!;

        var result = SidecarEgress.Merge(sidecar, [new("shop", "cart")]);

        var egress = (JsonArray)result.Sidecar["spec"]!["egress"]!;
        Assert.Equal(2, egress.Count);
        Assert.Equal("""["shop/cart.shop.svc.cluster.local"]""", egress[1]!["hosts"]!.ToJsonString());
    }

    private static string[] Hosts(JsonObject sidecar) =>
        ((JsonArray)sidecar["spec"]!["egress"]![0]!["hosts"]!).Select(h => (string)h!).ToArray();
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Rendering;

public sealed class RouterRendererTests
{
    private static Router NewRouter(RouterProtocol protocol = RouterProtocol.Http, string? uid = "u-1", params RouterSubset[] subsets) => new()
    {
        Metadata = new ObjectMeta { Name = "svc", Namespace = "ns", Uid = uid },
        Spec = new RouterSpec
        {
            Port = 8080,
            Protocol = protocol,
            Subsets = subsets.Length > 0 ? [.. subsets] : [new RouterSubset { Branch = "master" }, new RouterSubset { Branch = "box-1" }],
        },
    };

    private static JsonObject Labels(JsonObject obj) => obj["metadata"]!["labels"]!.AsObject();

    [Fact]
    public void Render_SandboxObjects_LabelsButNoOwnerReference()
    {
        var rendered = RouterRenderer.Render(NewRouter());

        foreach (var obj in rendered.All)
        {
            var ns = (string?)obj["metadata"]!["namespace"];
            Assert.Equal("meshfunctions", (string?)Labels(obj)[RouterLabels.ManagedBy]);
            Assert.Equal("svc", (string?)Labels(obj)[RouterLabels.RouterName]);
            Assert.Equal("ns", (string?)Labels(obj)[RouterLabels.RouterNamespace]);
            if (ns == "ns")
            {
                var owner = Assert.Single(obj["metadata"]!["ownerReferences"]!.AsArray())!.AsObject();
                Assert.Equal(Router.ApiVersionValue, (string?)owner["apiVersion"]);
                Assert.Equal("Router", (string?)owner["kind"]);
                Assert.Equal("svc", (string?)owner["name"]);
                Assert.Equal("u-1", (string?)owner["uid"]);
                Assert.True((bool)owner["controller"]!);
                Assert.True((bool)owner["blockOwnerDeletion"]!);
            }
            else
            {
                Assert.Equal("ns--box-1", ns);
                Assert.False(obj["metadata"]!.AsObject().ContainsKey("ownerReferences"));
            }
        }
    }

    [Fact]
    public void Render_RouterWithoutUid_NoOwnerReferences()
    {
        var rendered = RouterRenderer.Render(NewRouter(uid: null));

        Assert.All(rendered.All, o => Assert.False(o["metadata"]!.AsObject().ContainsKey("ownerReferences")));
    }

    [Fact]
    public void Render_KeyOrder_ApiVersionKindMetadataSpec()
    {
        var rendered = RouterRenderer.Render(NewRouter());

        Assert.All(rendered.All, o => Assert.Equal(["apiVersion", "kind", "metadata", "spec"], o.Select(p => p.Key)));
    }

    [Fact]
    public void Render_CustomOptions_UsedEverywhere()
    {
        var options = new RenderOptions
        {
            ClusterDomain = "corp.example",
            Gateways = [],
            AppLabel = "service",
            BranchLabel = "sandbox",
            VersionLabel = "release",
            ManagedBy = "someone",
        };
        var router = NewRouter(subsets: [new RouterSubset { Branch = "master", Versions = new() { ["v1"] = 100 } }, new RouterSubset { Branch = "box-1" }]);

        var rendered = RouterRenderer.Render(router, options);

        var vs = rendered.VirtualService["spec"]!.AsObject();
        Assert.False(vs.ContainsKey("gateways"));
        Assert.Equal("svc.ns.svc.corp.example", (string?)vs["hosts"]![0]);
        Assert.Equal("box-1", (string?)vs["http"]![0]!["match"]![0]!["sourceLabels"]!["sandbox"]);
        Assert.Equal("v1", (string?)rendered.DestinationRules[0]["spec"]!["subsets"]![1]!["labels"]!["release"]);
        Assert.Equal("master", (string?)rendered.Services[1]["spec"]!["selector"]!["sandbox"]);
        Assert.Equal("svc", (string?)rendered.Services[1]["spec"]!["selector"]!["service"]);
        Assert.All(rendered.All, o => Assert.Equal("someone", (string?)Labels(o)[RouterLabels.ManagedBy]));
    }

    [Fact]
    public void Render_GrpcRetryOption_RenderedOnEveryRoute()
    {
        var options = new RenderOptions { GrpcRetry = new GrpcRetryPolicy { Attempts = 3, RetryOn = "connect-failure", PerTryTimeout = TimeSpan.FromMilliseconds(1500) } };

        var rendered = RouterRenderer.Render(NewRouter(RouterProtocol.Grpc), options);

        var routes = rendered.VirtualService["spec"]!["http"]!.AsArray();
        Assert.Equal(2, routes.Count);
        Assert.All(routes, r =>
        {
            Assert.Equal(3, (int)r!["retries"]!["attempts"]!);
            Assert.Equal("connect-failure", (string?)r["retries"]!["retryOn"]);
            Assert.Equal("1500ms", (string?)r["retries"]!["perTryTimeout"]);
        });
    }

    [Fact]
    public void Render_HttpRouter_NoRetries()
    {
        var rendered = RouterRenderer.Render(NewRouter());

        Assert.All(rendered.VirtualService["spec"]!["http"]!.AsArray(), r => Assert.False(r!.AsObject().ContainsKey("retries")));
    }

    [Fact]
    public void Render_DeclarationOrder_DoesNotChangeOutput()
    {
        var a = NewRouter(subsets: [
            new RouterSubset { Branch = "master", Versions = new() { ["v1"] = 60, ["v2"] = 40 } },
            new RouterSubset { Branch = "box-2" },
            new RouterSubset { Branch = "box-1" }]);
        var b = NewRouter(subsets: [
            new RouterSubset { Branch = "box-1" },
            new RouterSubset { Branch = "box-2" },
            new RouterSubset { Branch = "master", Versions = new() { ["v2"] = 40, ["v1"] = 60 } }]);

        var ra = RouterRenderer.Render(a);
        var rb = RouterRenderer.Render(b);

        Assert.Equal(ra.All.Count(), rb.All.Count());
        Assert.All(ra.All.Zip(rb.All), p => Assert.True(JsonNode.DeepEquals(p.First, p.Second)));
    }

    [Fact]
    public void Render_NoMasterBranch_ArgumentExceptionNamesField()
    {
        var ex = Assert.Throws<ArgumentException>(() => RouterRenderer.Render(NewRouter(subsets: [new RouterSubset { Branch = "box-1" }])));

        Assert.StartsWith("spec.subsets: must contain the production branch 'master'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DuplicateBranch_ArgumentExceptionNamesField()
    {
        var ex = Assert.Throws<ArgumentException>(() => RouterRenderer.Render(NewRouter(subsets: [new RouterSubset { Branch = "master" }, new RouterSubset { Branch = "master" }])));

        Assert.StartsWith("spec.subsets[1].branch: branch 'master' is listed twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BadVersion_ArgumentExceptionNamesField()
    {
        var router = NewRouter(subsets: [new RouterSubset { Branch = "master", Versions = new() { ["v1/2"] = 100 } }]);

        var ex = Assert.Throws<ArgumentException>(() => RouterRenderer.Render(router));

        Assert.StartsWith("spec.subsets[0].versions: 'v1/2' cannot be a version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultOptions_NoErrors()
    {
        Assert.Empty(RenderOptions.Default.Validate());
    }

    [Fact]
    public void Validate_RiskyOptions_EveryErrorNamesItsOption()
    {
        var options = new RenderOptions
        {
            ClusterDomain = "Not A Domain",
            Gateways = ["istio-system/svc-ingress"],
            AppLabel = string.Empty,
            GrpcRetry = new GrpcRetryPolicy { Attempts = -1, RetryOn = "connect-failure,unavailable,cancelled" },
        };

        var errors = options.Validate();

        Assert.Collection(
            errors,
            e => Assert.StartsWith("ClusterDomain:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("AppLabel:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Gateways:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("GrpcRetry.Attempts:", e, StringComparison.Ordinal),
            e => Assert.Contains("'unavailable'", e, StringComparison.Ordinal),
            e => Assert.Contains("'cancelled'", e, StringComparison.Ordinal));
    }

    /// <summary>The seed's sm-verify-title VirtualService, re-indented (the web copy lost indentation).</summary>
    private const string SeedTitleVirtualService = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: sm-verify-title
          namespace: sm-verify
        spec:
          gateways:
          - mesh
          - istio-system/svc-ingress
          hosts:
          - sm-verify-title.sm-verify.svc.cluster.local
          http:
          - match:
            - sourceLabels:
                branch: box-10326
            name: box-10326--default
            route:
            - destination:
                host: sm-verify-title--box-10326.sm-verify--box-10326.svc.cluster.local
                subset: default
          - name: master--default
            route:
            - destination:
                host: sm-verify-title--master.sm-verify.svc.cluster.local
                subset: default
        """;

    [Fact]
    public void Render_SeedTitleRouter_VirtualServiceSpecEqualsSeed()
    {
        var seed = Assert.Single(Core.Yaml.YamlReader.Read(SeedTitleVirtualService)).Root!.AsObject();
        var router = RouterCases.ReadRouter("seed-sandbox-title");

        var rendered = RouterRenderer.Render(router, RouterCases.ReadOptions("seed-sandbox-title"));

        Assert.True(JsonNode.DeepEquals(seed["spec"], rendered.VirtualService["spec"]), rendered.VirtualService["spec"]!.ToJsonString());
        Assert.Equal((string?)seed["metadata"]!["name"], (string?)rendered.VirtualService["metadata"]!["name"]);
        Assert.Equal((string?)seed["metadata"]!["namespace"], (string?)rendered.VirtualService["metadata"]!["namespace"]);
    }
}

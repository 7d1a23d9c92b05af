using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Resources;

public sealed class ManifestParserTests
{
    private const string SeedRouter = """
        apiVersion: router.service-mesh.zhihu.com/v1
        kind: Router
        metadata:
          name: sm-verify-web # 服务名
          namespace: sm-verify
        spec:
          port: 9090
          protocol: http
          subsets:
          - branch: master # 生产默认路由
            versions: # 百分之十流量进行金丝雀验证
              v1.0.1: 90
              v1.0.2: 10
          - branch: box-0999 # 沙箱 ID
        """;

    [Fact]
    public void Parse_SeedRouter_BindsEveryField()
    {
        var result = ManifestParser.Parse(SeedRouter, "router.yaml");

        Assert.Empty(result.Diagnostics);
        var router = Assert.IsType<Router>(Assert.Single(result.Manifests).Resource);
        Assert.Equal("sm-verify-web", router.Metadata.Name);
        Assert.Equal(9090, router.Spec.Port);
        Assert.Equal(RouterProtocol.Http, router.Spec.Protocol);
        Assert.Equal(90, router.Spec.Subsets[0].Versions!["v1.0.1"]);
        Assert.Equal("box-0999", router.Spec.Subsets[1].Branch);
    }

    [Fact]
    public void Parse_UnknownField_NamesFieldAndLine()
    {
        var result = ManifestParser.Parse(SeedRouter.Replace("  protocol: http", "  protocol: http\n  protcol: grpc", StringComparison.Ordinal), "r.yaml");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.protcol", d.Path);
        Assert.Equal("unknown field 'protcol'", d.Message);
        Assert.Equal(9, d.Location!.Value.Line);
        Assert.Empty(result.Manifests);
    }

    [Fact]
    public void Parse_WeightsNotSummingTo100_NamesBranch()
    {
        var result = ManifestParser.Parse(SeedRouter.Replace("v1.0.2: 10", "v1.0.2: 20", StringComparison.Ordinal), "r.yaml");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.subsets[0].versions", d.Path);
        Assert.Contains("sum to 100, got 110", d.Message, StringComparison.Ordinal);
        Assert.Equal("r.yaml:11: error: Router sm-verify/sm-verify-web: spec.subsets[0].versions: weights of branch 'master' must sum to 100, got 110", d.ToString());
    }

    [Theory]
    [InlineData("port: 9090", "port: ninety", "spec.port", "expected an integer")]
    [InlineData("protocol: http", "protocol: smtp", "spec.protocol", "one of http, grpc, tcp")]
    [InlineData("name: sm-verify-web", "name: Sm_Verify", "metadata.name", "is not valid")]
    [InlineData("router.service-mesh.zhihu.com/v1", "router.service-mesh.zhihu.com/v2", "apiVersion", "requires apiVersion router.service-mesh.zhihu.com/v1")]
    public void Parse_BadInput_SpecificError(string from, string to, string path, string message)
    {
        var result = ManifestParser.Parse(SeedRouter.Replace(from, to, StringComparison.Ordinal));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(path, d.Path);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherKinds_KeptAsJson()
    {
        var result = ManifestParser.Parse("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: a\nspec: {}\n---\n");

        var m = Assert.Single(result.Manifests);
        Assert.Null(m.Resource);
        Assert.Equal("VirtualService", m.Kind);
    }

    [Fact]
    public void Parse_SeedRateLimit_BindsEveryField()
    {
        const string yaml = """
            apiVersion: quota.service-mesh.zhihu.com/v1
            kind: RateLimit
            metadata:
              name: sm-verify-page-dbcecaa
              namespace: sm-verify
            spec:
              hosts:
              - sm-verify-page.sm-verify.svc.cluster.local:80
              match:
                headers:
                - key: :path
                  matchType: exact
                  value: /Page.Show
              quota: 800
              stage: 1
              unit: SECOND
            """;

        var result = ManifestParser.Parse(yaml);

        Assert.Empty(result.Diagnostics);
        var rl = Assert.IsType<RateLimit>(Assert.Single(result.Manifests).Resource);
        Assert.Equal(":path", rl.Spec.Match.Headers[0].Key);
        Assert.Equal(800, rl.Spec.Quota);
        Assert.Equal(RateLimitUnit.SECOND, rl.Spec.Unit);
    }
}

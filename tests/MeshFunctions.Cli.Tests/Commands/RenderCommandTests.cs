using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

public sealed class RenderCommandTests
{
    [Fact]
    public void Render_SeedSamples_MatchesGolden()
    {
        var run = MeshctlRun.Invoke("render", Repo.Seed);

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.Verify("render/seed/expected.yaml", run.Stdout);
    }

    [Fact]
    public void Render_SeedSamples_RendersEveryKindOnce()
    {
        var run = MeshctlRun.Invoke("render", Repo.Seed);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kind: VirtualService\nmetadata:\n  name: sm-verify-web\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("name: sm-verify-web--box-0999\n  namespace: sm-verify--box-0999\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("name: ratelimit-sm-verify-page\n", run.Stdout, StringComparison.Ordinal);

        // The seed's hand-written VirtualService, EnvoyFilter and Sidecar are inputs, not render output.
        Assert.DoesNotContain("sm-verify-title", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RlsConfigOption_WritesTheRateLimitServiceConfig()
    {
        using var dir = new TempDir();
        var file = dir.Combine("rls", "config.yaml");

        var run = MeshctlRun.Invoke("render", Repo.Seed, "--rls-config", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = File.ReadAllText(file);
        Assert.Contains("domain: meshfunctions", text, StringComparison.Ordinal);
        Assert.Contains("value: sm-verify/sm-verify-page-dbcecaa", text, StringComparison.Ordinal);
        Assert.Contains("requests_per_unit: 800", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Stdin_ReadsStandardInput()
    {
        var fromStdin = MeshctlRun.WithStdin(Manifests.Router, "render");
        var fromDash = MeshctlRun.WithStdin(Manifests.Router, "render", "-");

        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Contains("host: orders--master.shop.svc.cluster.local", fromStdin.Stdout, StringComparison.Ordinal);
        Assert.Equal(fromStdin.Stdout, fromDash.Stdout);
    }

    [Fact]
    public void Render_Directory_ReadsYamlFilesRecursively()
    {
        using var dir = new TempDir();
        dir.Write("a/b/router.yml", Manifests.Router);
        dir.Write("a/notes.txt", "not a manifest: [");

        var run = MeshctlRun.Invoke("render", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("name: orders--master", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Json_PrintsAKubernetesList()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router, "render", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var list = System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Contains(list["items"]!.AsArray(), i => (string?)i!["kind"] == "VirtualService");
    }

    [Fact]
    public void Render_OutDir_WritesOneFilePerObjectAndReplacesItsOwnOutput()
    {
        using var dir = new TempDir();
        var outDir = dir.Combine("out");

        var first = MeshctlRun.WithStdin(Manifests.RouterWithCanary, "render", "--out-dir", outDir);
        var second = MeshctlRun.WithStdin(Manifests.Router, "render", "--out-dir", outDir);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(string.Empty, second.Stdout);
        var files = TempDir.Snapshot(outDir).Keys.ToList();
        Assert.Contains(Path.Combine("shop", "virtualservice-orders.yaml"), files);
        Assert.Contains(Path.Combine("shop", "destinationrule-orders--master.yaml"), files);
        Assert.DoesNotContain("v2", File.ReadAllText(Path.Combine(outDir, "shop", "destinationrule-orders--master.yaml")), StringComparison.Ordinal);
        Assert.Equal(["out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Render_OutDirWithForeignFiles_RefusesAndLeavesItAlone()
    {
        using var dir = new TempDir();
        dir.Write("out/keep.txt", "mine");

        var run = MeshctlRun.WithStdin(Manifests.Router, "render", "--out-dir", dir.Combine("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("refusing", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], TempDir.Snapshot(dir.Combine("out")).Keys);
    }

    [Fact]
    public void Render_FilterConflict_WarnsNamingTheLosingFilter()
    {
        const string filters = """
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: team-timeout
              namespace: shop
            spec:
              targetRef:
                name: orders
              priority: 10
              timeout: 5s
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: chaos-timeout
              namespace: shop
            spec:
              targetRef:
                name: orders
              priority: 20
              timeout: 1s

            """;

        var run = MeshctlRun.WithStdin(Manifests.Router + filters, "render");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("timeout: 1s", run.Stdout, StringComparison.Ordinal);
        var warning = Assert.Single(run.Stderr.Split('\n'), l => l.Contains("warning:", StringComparison.Ordinal));
        Assert.Contains("IstioFilter shop/team-timeout", warning, StringComparison.Ordinal);
        Assert.StartsWith("<stdin>:", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownOption_IsAUsageError()
    {
        var run = MeshctlRun.Invoke("render", "--no-such-option");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("--no-such-option", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MissingFile_Exit1NamingTheFile()
    {
        var run = MeshctlRun.Invoke("render", "/no/such/file.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("/no/such/file.yaml", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GatewaysWithoutMesh_Exit1NamingTheOption()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router, "render", "--gateway", "istio-system/svc-ingress");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("--gateway: must include 'mesh'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Gateways_AreWrittenOnTheVirtualService()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router, "render", "--gateway", "mesh", "--gateway", "istio-system/svc-ingress");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("  gateways:\n  - mesh\n  - istio-system/svc-ingress\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoRoutersWithTheSameName_Exit1PointingAtTheSecond()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router + "---\n" + Manifests.Router, "render");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("<stdin>:17: error: Router shop/orders: metadata.name: Router shop/orders is defined twice (first at <stdin>:4)", run.Stderr, StringComparison.Ordinal);
    }
}

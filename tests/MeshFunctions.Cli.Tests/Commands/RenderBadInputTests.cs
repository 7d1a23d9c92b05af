using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

/// <summary>Every kind of bad input: exit 1, a <c>file:line:</c> message naming the field, and nothing written.</summary>
public sealed class RenderBadInputTests
{
    public static TheoryData<string, string, int, string> Cases => new()
    {
        { "malformed YAML", Manifests.Router.Replace("  protocol: http", "  protocol: [http", StringComparison.Ordinal), 8, "invalid YAML" },
        { "wrong apiVersion", Manifests.Router.Replace("zhihu.com/v1", "zhihu.com/v2", StringComparison.Ordinal), 1, "apiVersion: kind Router requires apiVersion router.service-mesh.zhihu.com/v1, got 'router.service-mesh.zhihu.com/v2'" },
        { "unknown field", Manifests.Router.Replace("  protocol: http", "  protocl: http", StringComparison.Ordinal), 8, "spec.protocl: unknown field 'protocl'" },
        { "weights not summing to 100", Manifests.RouterWithCanary.Replace("v2: 10", "v2: 5", StringComparison.Ordinal), 11, "spec.subsets[0].versions: weights of branch 'master' must sum to 100, got 95" },
        { "invalid name", Manifests.Router.Replace("name: orders", "name: Orders_Svc", StringComparison.Ordinal), 4, "metadata.name: 'Orders_Svc' is not valid" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_BadInput_Exit1WithFileLineAndNothingWritten(string description, string yaml, int line, string expected)
    {
        using var dir = new TempDir();
        var good = dir.Write("in/a-good.yaml", Manifests.Router.Replace("orders", "payments", StringComparison.Ordinal));
        var bad = dir.Write("in/b-bad.yaml", yaml);
        var outDir = dir.Combine("out");
        var rls = dir.Combine("rls.yaml");

        var run = MeshctlRun.Invoke("render", good, bad, "--out-dir", outDir, "--rls-config", rls);
        var toStdout = MeshctlRun.Invoke("render", good, bad);

        Assert.True(run.ExitCode == 1, description + "\n" + run);
        Assert.Contains($"{bad}:{line}: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "--out-dir must not be created on error");
        Assert.False(File.Exists(rls), "--rls-config must not be written on error");
        Assert.Equal(1, toStdout.ExitCode);
        Assert.Equal(string.Empty, toStdout.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ErrorWithExistingOutDir_LeavesItUnchanged()
    {
        using var dir = new TempDir();
        var outDir = dir.Combine("out");
        Assert.Equal(0, MeshctlRun.WithStdin(Manifests.Router, "render", "--out-dir", outDir).ExitCode);
        var before = TempDir.Snapshot(outDir);

        var run = MeshctlRun.WithStdin(Manifests.RouterWithCanary.Replace("v2: 10", "v2: 11", StringComparison.Ordinal), "render", "--out-dir", outDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("<stdin>:11: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, TempDir.Snapshot(outDir));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }
}

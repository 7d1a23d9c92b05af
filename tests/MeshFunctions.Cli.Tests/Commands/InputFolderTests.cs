using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

/// <summary>Folders as users have them: upper-case extensions, symlink loops, Kustomize; and plan's refusals.</summary>
public sealed class InputFolderTests
{
    [Fact]
    public void Render_UpperCaseExtension_IsRead()
    {
        using var dir = new TempDir();
        dir.Write("in/ROUTER.YAML", Manifests.Router);

        var run = MeshctlRun.Invoke("render", dir.Combine("in"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("kind: VirtualService", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SymlinkLoop_ReadOnceAndReported()
    {
        using var dir = new TempDir();
        dir.Write("in/router.yaml", Manifests.Router);
        Directory.CreateSymbolicLink(dir.Combine("in", "loop"), dir.Combine("in"));

        var run = MeshctlRun.Invoke("check", dir.Combine("in"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("meshctl check: 1 objects, 0 errors, 1 warning", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("loop:1: warning: is a symbolic link to ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KustomizeFolderWithoutK_SaysToUseK()
    {
        using var dir = new TempDir();
        dir.Write("kz/kustomization.yaml", "resources:\n- router.yaml\n");
        dir.Write("kz/router.yaml", Manifests.Router);

        var run = MeshctlRun.Invoke("render", dir.Combine("kz"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{dir.Combine("kz", "kustomization.yaml")}:1: error: {dir.Combine("kz")} is a Kustomize directory, not a folder of manifests: read it with -k", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KustomizeWithK_RendersWhatKubectlBuilds()
    {
        using var dir = new TempDir();
        dir.Write("kz/kustomization.yaml", "resources:\n- router.yaml\nnamespace: other\n");
        dir.Write("kz/router.yaml", Manifests.Router);

        var run = MeshctlRun.Invoke("render", "-k", dir.Combine("kz"));

        // kubectl is optional: without it the message says what to do instead.
        if (run.Stderr.Contains("was not found on the PATH", StringComparison.Ordinal))
        {
            Assert.Equal(1, run.ExitCode);
            return;
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("namespace: other", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_StdinTwice_IsAUsageError()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router, "plan", "-", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("meshctl plan: '-' names standard input, which can be read only once", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void Plan_EmptyDesired_RefusedUnlessAllowed()
    {
        using var dir = new TempDir();
        var empty = dir.Write("empty.yaml", "# nothing here\n");

        var refused = MeshctlRun.WithStdin(Manifests.Router, "plan", "-", empty);
        var allowed = MeshctlRun.WithStdin(Manifests.Router, "plan", "-", empty, "--allow-empty");

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"{empty}:1: error: the desired side holds no objects, so the plan would delete every live object; pass --allow-empty", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, refused.Stdout);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("meshctl plan: the plan deletes 4 objects: 1 DestinationRule, 2 Service, 1 VirtualService", allowed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DurationsInGoStyle_NegativeAndBareNumbersRefused()
    {
        using var dir = new TempDir();
        var live = dir.Write("live.yaml", Manifests.Router);
        var desired = dir.Write("desired.yaml", Manifests.RouterWithCanary);

        var ok = MeshctlRun.Invoke("plan", live, desired, "--wait", "1m30s");
        var bare = MeshctlRun.Invoke("plan", live, desired, "--wait", "30");
        var negative = MeshctlRun.Invoke("plan", live, desired, "--wait", "-5s");

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("wait 90s", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bare.ExitCode);
        Assert.StartsWith("meshctl plan: --wait: '30' is not a duration", bare.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, negative.ExitCode);
        Assert.DoesNotContain("System.", bare.Stderr + negative.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoPathAndStdinIsATerminal_IsAUsageErrorInsteadOfWaiting()
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = Meshctl.Run(["render"], new CliConsole(input, output, error, StdinIsTerminal: true));

        Assert.Equal(2, exit);
        Assert.StartsWith("meshctl render: no input: name files or directories, or pipe manifests", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RlsConfigInUnwritablePlace_NamesTheUsersPathNotATempFile()
    {
        var run = MeshctlRun.WithStdin(Manifests.Router, "render", "--rls-config", "/proc/nope/rls.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot write /proc/nope/rls.yaml", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".meshctl-", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }
}

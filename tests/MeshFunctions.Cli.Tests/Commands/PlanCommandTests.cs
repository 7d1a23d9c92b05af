using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    [Fact]
    public void Plan_AddingAVersion_UpdatesTheDestinationRuleBeforeTheVirtualService()
    {
        using var dir = new TempDir();
        var live = dir.Write("live/router.yaml", Manifests.Router);
        var desired = dir.Write("desired/router.yaml", Manifests.RouterWithCanary);

        var run = MeshctlRun.Invoke("plan", live, desired);

        Assert.True(run.ExitCode == 0, run.ToString());
        var dr = run.Stdout.IndexOf("apply DestinationRule shop/orders--master", StringComparison.Ordinal);
        var wait = run.Stdout.IndexOf("wait 30s", StringComparison.Ordinal);
        var vs = run.Stdout.IndexOf("apply VirtualService shop/orders", StringComparison.Ordinal);
        Assert.True(dr >= 0 && dr < wait && wait < vs, run.Stdout);
    }

    [Fact]
    public void Plan_RemovingAVersion_UpdatesTheVirtualServiceFirst_AsYamlSteps()
    {
        using var dir = new TempDir();
        var live = dir.Write("live.yaml", Manifests.RouterWithCanary);
        var desired = dir.Write("desired.yaml", Manifests.Router);

        var run = MeshctlRun.Invoke("plan", live, desired, "-o", "yaml", "--wait", "5s");

        Assert.True(run.ExitCode == 0, run.ToString());
        var actions = run.Stdout.Split('\n').Where(l => l.StartsWith("action: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["action: apply", "action: wait", "action: apply"], actions);
        Assert.True(run.Stdout.IndexOf("kind: VirtualService", StringComparison.Ordinal) < run.Stdout.IndexOf("kind: DestinationRule", StringComparison.Ordinal));
        Assert.Contains("seconds: 5", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SameState_SaysNothingToDo()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", Manifests.Router);

        var run = MeshctlRun.Invoke("plan", a, a);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Nothing to do", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DesiredStateRoutesToAMissingSubset_Exit1()
    {
        using var dir = new TempDir();
        var live = dir.Write("live.yaml", "---\n");
        var desired = Path.Combine(Repo.Broken, "virtualservice-missing-subset.yaml");

        var run = MeshctlRun.Invoke("plan", live, desired, "--allow-empty");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("v2", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MissingArgument_IsAUsageError()
    {
        var run = MeshctlRun.Invoke("plan", "only-one");

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void Plan_RenderedDirectoryAgainstRouters_PlansOnlyTheNewSubset()
    {
        using var dir = new TempDir();
        var live = dir.Combine("live");
        Assert.Equal(0, MeshctlRun.WithStdin(Manifests.Router, "render", "--out-dir", live).ExitCode);
        var desired = dir.Write("desired.yaml", Manifests.RouterWithCanary);

        var run = MeshctlRun.Invoke("plan", live, desired);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Plan: 3 steps (2 apply, 0 delete, 1 wait)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("add subsets [v2]", run.Stdout, StringComparison.Ordinal);
    }
}

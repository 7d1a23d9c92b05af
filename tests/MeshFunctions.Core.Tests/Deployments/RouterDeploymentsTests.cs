using MeshFunctions.Core.Deployments;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Deployments;

public sealed class RouterDeploymentsTests
{
    private static readonly RouterSpec Spec = new()
    {
        Port = 8080,
        Subsets = [new RouterSubset { Branch = "master", Versions = new() { ["v1"] = 100 } }],
    };

    [Fact]
    public void Apply_CanarySequence_EndsOnTheNewVersionOnly()
    {
        var spec = Spec;
        foreach (var deploy in new[]
        {
            Event(DeployAction.Deployed, "v2"),
            Event(DeployAction.Weighted, null, new() { ["v1"] = 90, ["v2"] = 10 }),
            Event(DeployAction.Promoted, "v2"),
            Event(DeployAction.Deleted, "v1"),
        })
        {
            spec = RouterDeployments.Apply(spec, deploy);
        }

        Assert.Equal(new Dictionary<string, int> { ["v2"] = 100 }, spec.Subsets.Single().Versions);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, Spec.Subsets.Single().Versions);
    }

    [Fact]
    public void Apply_SameEventTwice_GivesTheSameSpec()
    {
        var once = RouterDeployments.Apply(Spec, Event(DeployAction.Deployed, "v2"));
        var twice = RouterDeployments.Apply(once, Event(DeployAction.Deployed, "v2"));

        Assert.Equal(once.Subsets.Single().Versions, twice.Subsets.Single().Versions);
    }

    [Fact]
    public void Apply_SandboxDeployThenDelete_AddsAndRemovesTheBranch()
    {
        var added = RouterDeployments.Apply(Spec, Event(DeployAction.Deployed, "v9", branch: "box-7"));
        var removed = RouterDeployments.Apply(added, Event(DeployAction.Deleted, null, branch: "box-7"));

        Assert.Equal(new Dictionary<string, int> { ["v9"] = 100 }, added.Subsets.Single(s => s.Branch == "box-7").Versions);
        Assert.Equal(["master"], removed.Subsets.Select(s => s.Branch));
    }

    [Theory]
    [InlineData(DeployAction.Weighted, null, "weights are required")]
    [InlineData(DeployAction.Deleted, "v1", "still takes 100% of the traffic")]
    [InlineData(DeployAction.Promoted, null, "version is required")]
    public void Apply_BadEvent_ThrowsNamingTheRule(DeployAction action, string? version, string expected)
    {
        var spec = RouterDeployments.Apply(Spec, Event(DeployAction.Deployed, "v2"));

        var ex = Assert.Throws<ArgumentException>(() => RouterDeployments.Apply(spec, Event(action, version)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MasterBranchDelete_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RouterDeployments.Apply(Spec, Event(DeployAction.Deleted, null)));

        Assert.Contains("production branch cannot be deleted", ex.Message, StringComparison.Ordinal);
    }

    private static DeployEvent Event(DeployAction action, string? version, Dictionary<string, int>? weights = null, string branch = "master") =>
        new("shop", "checkout", branch, action, version, weights, 1, null);
}

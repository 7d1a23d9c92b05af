using MeshFunctions.Core.Events;

namespace MeshFunctions.Functions.Tests;

/// <summary>Deploy events through the queue trigger, make-before-break, checked over every write.</summary>
public sealed class CanaryTests
{
    [Fact]
    public async Task DeployEvents_Canary_ShiftsWeightsAndRetiresV1WithoutMissingSubsets()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();

        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        Assert.Equal(("True", "InSync"), (app.Condition("Ready").Status, app.Condition("Ready").Reason));

        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        Assert.Equal(["default", "v1", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());

        await app.DeployAsync(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 });
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }, app.MasterWeights());

        await app.DeployAsync(4, DeployAction.Weighted, weights: new() { ["v1"] = 50, ["v2"] = 50 });
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }, app.MasterWeights());

        await app.DeployAsync(5, DeployAction.Promoted, "v2");
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 100 }, app.MasterWeights());

        await app.DeployAsync(6, DeployAction.Deleted, "v1");
        Assert.Equal(new Dictionary<string, int> { ["v2"] = 100 }, app.MasterWeights());
        Assert.Equal(["default", "v2"], app.Subsets("shop", "checkout--master"));
        Assert.Equal(("True", "InSync"), (app.Condition("Ready").Status, app.Condition("Ready").Reason));
        Assert.Equal("False", app.Condition("Progressing").Status);
        app.AssertNoMissingSubsetEver();
    }

    [Fact]
    public async Task DeployEvents_DuplicateAndStale_AreNoOps()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        var writes = app.Api.Writes.Count;

        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        await app.DeployAsync(1, DeployAction.Deployed, "v1");

        Assert.Equal(writes, app.Api.Writes.Count);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100, ["v2"] = 0 }, app.MasterWeights());
    }
}

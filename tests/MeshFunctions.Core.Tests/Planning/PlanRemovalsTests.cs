using MeshFunctions.Core.Planning;
using static MeshFunctions.Core.Tests.Planning.RouterStates;

namespace MeshFunctions.Core.Tests.Planning;

public sealed class PlanRemovalsTests
{
    [Fact]
    public void RemovesAnything_AddVersionOrShiftWeights_False()
    {
        var live = Render(new() { ["v1"] = 100 });

        Assert.False(PlanRemovals.RemovesAnything(TransitionPlanner.Plan(live, Render(new() { ["v1"] = 90, ["v2"] = 10 })), live));
        var both = Render(new() { ["v1"] = 90, ["v2"] = 10 });
        Assert.False(PlanRemovals.RemovesAnything(TransitionPlanner.Plan(both, Render(new() { ["v1"] = 50, ["v2"] = 50 })), both));
    }

    [Fact]
    public void RemovesAnything_RetireVersion_True()
    {
        var live = Render(new() { ["v1"] = 0, ["v2"] = 100 });

        Assert.True(PlanRemovals.RemovesAnything(TransitionPlanner.Plan(live, Render(new() { ["v2"] = 100 })), live));
    }

    [Fact]
    public void RemovesAnything_ObjectNoLongerDesired_True()
    {
        var live = Render(new() { ["v1"] = 100 });
        var desired = live.Where(o => (string?)o["kind"] != "VirtualService").ToList();

        Assert.True(PlanRemovals.RemovesAnything(TransitionPlanner.Plan(live, desired), live));
    }

    [Fact]
    public void RemovesAnything_NothingLive_False()
    {
        Assert.False(PlanRemovals.RemovesAnything(TransitionPlanner.Plan([], Render(new() { ["v1"] = 100 })), []));
    }
}

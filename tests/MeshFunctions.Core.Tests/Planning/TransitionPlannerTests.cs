using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning;
using static MeshFunctions.Core.Tests.Planning.RouterStates;

namespace MeshFunctions.Core.Tests.Planning;

public sealed class TransitionPlannerTests
{
    private static string Describe(PlanStep step) => step switch
    {
        ApplyStep a => $"apply {a.Object["kind"]} {a.Object["metadata"]!["namespace"]}/{a.Object["metadata"]!["name"]}",
        DeleteStep d => $"delete {d.Kind} {d.Namespace}/{d.Name}",
        WaitStep w => $"wait {w.Duration.TotalSeconds}s",
        _ => step.ToString(),
    };

    private static TransitionPlan PlanAndSimulate(List<JsonObject> live, List<JsonObject> desired)
    {
        var plan = TransitionPlanner.Plan(live, desired);
        var simulator = new PlanSimulator(live);
        simulator.Run(plan);
        Assert.Empty(simulator.Problems);
        return plan;
    }

    private static List<string> SubsetNamesOf(JsonObject destinationRule) =>
        destinationRule["spec"]!["subsets"]!.AsArray().Select(s => (string)s!["name"]!).ToList();

    [Fact]
    public void Plan_AddVersion_DestinationRuleThenWaitThenVirtualService()
    {
        var plan = PlanAndSimulate(Render(new() { ["v1"] = 100 }), Render(new() { ["v1"] = 90, ["v2"] = 10 }));

        Assert.Equal(["apply DestinationRule ns/svc--master", "wait 30s", "apply VirtualService ns/svc"], plan.Steps.Select(Describe));
        Assert.Equal(["default", "v1", "v2"], SubsetNamesOf(((ApplyStep)plan.Steps[0]).Object));
    }

    [Fact]
    public void Plan_RemoveVersion_VirtualServiceThenWaitThenDestinationRule()
    {
        var plan = PlanAndSimulate(Render(new() { ["v1"] = 90, ["v2"] = 10 }), Render(new() { ["v1"] = 100 }));

        Assert.Equal(["apply VirtualService ns/svc", "wait 30s", "apply DestinationRule ns/svc--master"], plan.Steps.Select(Describe));
        Assert.Equal(["default", "v1"], SubsetNamesOf(((ApplyStep)plan.Steps[2]).Object));
    }

    [Fact]
    public void Plan_ReplaceVersion_UnionFirstThenShrink()
    {
        var plan = PlanAndSimulate(Render(new() { ["v1"] = 100 }), Render(new() { ["v2"] = 100 }));

        Assert.Equal(
            ["apply DestinationRule ns/svc--master", "wait 30s", "apply VirtualService ns/svc", "wait 30s", "apply DestinationRule ns/svc--master"],
            plan.Steps.Select(Describe));
        Assert.Equal(["default", "v1", "v2"], SubsetNamesOf(((ApplyStep)plan.Steps[0]).Object).Order());
        Assert.Equal(["default", "v2"], SubsetNamesOf(((ApplyStep)plan.Steps[4]).Object));
    }

    [Fact]
    public void Plan_AddSandbox_ServiceAndDestinationRuleBeforeVirtualService()
    {
        var plan = PlanAndSimulate(Render(null), Render(null, "box-7"));

        Assert.Equal(
            ["apply Service ns--box-7/svc--box-7", "apply DestinationRule ns--box-7/svc--box-7", "wait 30s", "apply VirtualService ns/svc"],
            plan.Steps.Select(Describe));
    }

    [Fact]
    public void Plan_RemoveSandbox_VirtualServiceThenWaitThenDestinationRuleThenService()
    {
        var plan = PlanAndSimulate(Render(null, "box-7"), Render(null));

        Assert.Equal(
            ["apply VirtualService ns/svc", "wait 30s", "delete DestinationRule ns--box-7/svc--box-7", "delete Service ns--box-7/svc--box-7"],
            plan.Steps.Select(Describe));
        var delete = (DeleteStep)plan.Steps[2];
        Assert.Equal("networking.istio.io/v1", delete.ApiVersion);
    }

    [Fact]
    public void Plan_NewRouter_ServicesAndRulesThenWaitThenVirtualService()
    {
        var plan = PlanAndSimulate([], Render(new() { ["v1"] = 100 }, "box-1"));

        Assert.Equal(
            ["apply Service ns/svc", "apply Service ns/svc--master", "apply Service ns--box-1/svc--box-1",
             "apply DestinationRule ns/svc--master", "apply DestinationRule ns--box-1/svc--box-1", "wait 30s", "apply VirtualService ns/svc"],
            plan.Steps.Select(Describe));
    }

    [Fact]
    public void Plan_RouterDeleted_VirtualServiceFirstThenWaitThenRulesThenServices()
    {
        var plan = PlanAndSimulate(Render(new() { ["v1"] = 100 }, "box-1"), []);

        Assert.Equal(
            ["delete VirtualService ns/svc", "wait 30s", "delete DestinationRule ns/svc--master", "delete DestinationRule ns--box-1/svc--box-1",
             "delete Service ns/svc", "delete Service ns/svc--master", "delete Service ns--box-1/svc--box-1"],
            plan.Steps.Select(Describe));
    }

    [Fact]
    public void Plan_SameState_Empty()
    {
        var state = Render(new() { ["v1"] = 90, ["v2"] = 10 }, "box-1", "box-2");

        Assert.True(TransitionPlanner.Plan(state, Render(new() { ["v1"] = 90, ["v2"] = 10 }, "box-1", "box-2")).IsEmpty);
    }

    [Fact]
    public void Plan_SameStateReadBackFromCluster_EmptyDespiteServerFields()
    {
        var desired = Render(new() { ["v1"] = 90, ["v2"] = 10 }, "box-1");

        var plan = TransitionPlanner.Plan(AsReadBack(desired), desired);

        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Plan_SameStateParsedFromApiServerJson_Empty()
    {
        // Objects read from the API server are parsed JSON (element-backed values), not the renderer's typed values.
        var desired = Render(new() { ["v1"] = 90, ["v2"] = 10 }, "box-1");
        var live = AsReadBack(desired).Select(o => JsonNode.Parse(o.ToJsonString())!.AsObject()).ToList();

        Assert.Empty(TransitionPlanner.Plan(live, desired).Steps);
    }

    [Fact]
    public void Plan_WeightsOnly_OneVirtualServiceApplyNoWait()
    {
        var plan = PlanAndSimulate(Render(new() { ["v1"] = 90, ["v2"] = 10 }), Render(new() { ["v1"] = 50, ["v2"] = 50 }));

        Assert.Equal(["apply VirtualService ns/svc"], plan.Steps.Select(Describe));
    }

    [Fact]
    public void Plan_LiveMirrorUsesSubsetDesiredDrops_SubsetKeptUntilRoutesChange()
    {
        // v2 gets no route traffic (weight 0) but a filter mirrors to it: only the mirror keeps it in use.
        var live = WithMasterMirror(Render(new() { ["v1"] = 100, ["v2"] = 0 }), "v2");
        var desired = Render(new() { ["v1"] = 100, ["v3"] = 0 });

        var plan = PlanAndSimulate(live, desired);

        Assert.Equal(
            ["apply DestinationRule ns/svc--master", "wait 30s", "apply VirtualService ns/svc", "wait 30s", "apply DestinationRule ns/svc--master"],
            plan.Steps.Select(Describe));
        Assert.Contains("v2", SubsetNamesOf(((ApplyStep)plan.Steps[0]).Object));
    }

    [Fact]
    public void Plan_DesiredMirrorsToNewSubset_SubsetCreatedFirst()
    {
        var live = Render(new() { ["v1"] = 100 });
        var desired = WithMasterMirror(Render(new() { ["v1"] = 100, ["v2"] = 0 }), "v2", asMirrors: true);

        var plan = PlanAndSimulate(live, desired);

        Assert.Equal(["apply DestinationRule ns/svc--master", "wait 30s", "apply VirtualService ns/svc"], plan.Steps.Select(Describe));
    }

    [Fact]
    public void Plan_DesiredMirrorsToMissingSubset_ArgumentExceptionNamesField()
    {
        var desired = WithMasterMirror(Render(new() { ["v1"] = 100 }), "v9");

        var ex = Assert.Throws<ArgumentException>(() => TransitionPlanner.Plan(Render(null), desired));

        Assert.Contains("VirtualService ns/svc: spec.http[0].mirror.subset: subset 'v9'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ConfiguredDelay_UsedByEveryWait()
    {
        var options = new PlanOptions { PropagationDelay = TimeSpan.FromSeconds(5) };

        var plan = TransitionPlanner.Plan(Render(new() { ["v1"] = 100 }), Render(new() { ["v2"] = 100 }), options);

        var waits = plan.Steps.OfType<WaitStep>().ToList();
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.Equal(TimeSpan.FromSeconds(5), w.Duration));
        Assert.All(plan.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public void Plan_ObjectListedTwice_ArgumentException()
    {
        var state = Render(null);

        var ex = Assert.Throws<ArgumentException>(() => TransitionPlanner.Plan([.. state, state[0]], state));

        Assert.Contains("Service ns/svc is listed twice", ex.Message, StringComparison.Ordinal);
        Assert.Equal("live", ex.ParamName);
    }

    [Fact]
    public void Plan_ServiceChanged_UpdatedWithoutWait()
    {
        var live = Render(null);
        var desired = RenderRouter(Router(Core.Resources.RouterProtocol.Grpc, null));

        var plan = PlanAndSimulate(live, desired);

        // Port names and appProtocol change on both Services; the VS gains retries: Services first, then a wait.
        Assert.Equal(["apply Service ns/svc", "apply Service ns/svc--master", "wait 30s", "apply VirtualService ns/svc"], plan.Steps.Select(Describe));
    }
}

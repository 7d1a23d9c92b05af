using CsCheck;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Planning.Internal;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Planning;

public sealed class TransitionPlannerPropertyTests
{
    private static readonly string[] VersionPool = ["v1", "v2", "v1.0.2", "V3", "rel_4"];
    private static readonly string[] SandboxPool = ["box-0001", "box-0002", "box-0003"];

    /// <summary>No versions, or a random non-empty choice of versions with random weights summing to 100.</summary>
    private static readonly Gen<Dictionary<string, int>?> Versions =
        Gen.Bool.Array[VersionPool.Length].SelectMany(mask =>
        {
            var chosen = VersionPool.Where((_, i) => mask[i]).ToArray();
            return chosen.Length == 0
                ? Gen.Const((Dictionary<string, int>?)null)
                : Gen.Int[0, 100].Array[chosen.Length - 1].Select(cuts =>
                {
                    var bounds = cuts.Order().Prepend(0).Append(100).ToArray();
                    return (Dictionary<string, int>?)chosen.Select((v, i) => (v, w: bounds[i + 1] - bounds[i])).ToDictionary(p => p.v, p => p.w);
                });
        });

    /// <summary>A Router state; Mirror = a filter mirrors master traffic to its first version subset (http/grpc only).</summary>
    private static readonly Gen<(Router Router, bool Mirror)> State =
        Gen.Select(Versions, Versions.Array[SandboxPool.Length], Gen.Bool.Array[SandboxPool.Length], Gen.Int[0, 2], Gen.Bool)
            .Select((master, sandboxVersions, present, protocol, mirror) =>
            {
                var router = RouterStates.Router((RouterProtocol)protocol, master);
                var subsets = router.Spec.Subsets.Concat(SandboxPool.Where((_, i) => present[i]).Select((b, i) => new RouterSubset { Branch = b, Versions = sandboxVersions[i] }));
                return (router with { Spec = router.Spec with { Subsets = [.. subsets] } }, mirror && master is not null && protocol != (int)RouterProtocol.Tcp);
            });

    private static List<System.Text.Json.Nodes.JsonObject> Render((Router Router, bool Mirror) state)
    {
        var objects = RouterStates.RenderRouter(state.Router);
        return state.Mirror ? RouterStates.WithMasterMirror(objects, Core.Rendering.SubsetNames.Encode(state.Router.Spec.Subsets[0].Versions!.Keys.Order(StringComparer.Ordinal).First())) : objects;
    }

    [Fact]
    public void Plan_RandomTransitions_NoProxyEverSeesAMissingSubsetAndEndsAtDesired()
    {
        Gen.Select(State, State, Gen.Bool).Sample((from, to, readBack) =>
        {
            var live = Render(from);
            if (readBack)
            {
                live = RouterStates.AsReadBack(live);
            }

            var desired = Render(to);

            var plan = TransitionPlanner.Plan(live, desired);
            var simulator = new PlanSimulator(live);
            simulator.Run(plan);

            Assert.Empty(simulator.Problems);
            var final = simulator.State.ToDictionary(ObjectKey.Of);
            Assert.Equal(desired.Select(o => ObjectKey.Of(o).ToString()).Order(), final.Keys.Select(k => k.ToString()).Order());
            Assert.All(desired, d => Assert.True(ObjectComparer.Same(final[ObjectKey.Of(d)], d), $"{ObjectKey.Of(d)} differs from desired"));
            Assert.True(TransitionPlanner.Plan([.. simulator.State], desired).IsEmpty, "planning again from the result must do nothing");

            // Waits only between work: never first, never last, never twice in a row.
            var steps = plan.Steps;
            Assert.True(steps.Count == 0 || (steps[0] is not WaitStep && steps[^1] is not WaitStep));
            Assert.DoesNotContain(steps.Zip(steps.Skip(1)), p => p.First is WaitStep && p.Second is WaitStep);
        }, iter: 500);
    }

    [Fact]
    public void Plan_SameRandomState_Empty()
    {
        Gen.Select(State, Gen.Bool).Sample((state, readBack) =>
        {
            var live = readBack ? RouterStates.AsReadBack(Render(state)) : Render(state);

            Assert.True(TransitionPlanner.Plan(live, Render(state)).IsEmpty);
        });
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Tests.Planning;

/// <summary>
/// Executes a plan against an in-memory cluster and models eventual consistency: between two waits, a proxy may see
/// any mix of the versions each object had since the last wait (including "absent"). After every step it records a
/// problem when the objects, or any view a proxy may have, route to a subset or host that is not there.
/// </summary>
internal sealed class PlanSimulator
{
    private readonly Dictionary<ObjectKey, JsonObject> _state = [];
    private readonly Dictionary<ObjectKey, List<JsonObject?>> _visible = [];

    public PlanSimulator(IEnumerable<JsonObject> live)
    {
        foreach (var obj in live)
        {
            _state[ObjectKey.Of(obj)] = obj;
        }

        Settle();
    }

    public List<string> Problems { get; } = [];

    public IReadOnlyCollection<JsonObject> State => _state.Values;

    public void Run(TransitionPlan plan)
    {
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            switch (step)
            {
                case ApplyStep apply:
                    var key = ObjectKey.Of(apply.Object);
                    if (_state.TryGetValue(key, out var before) && ObjectComparer.Same(before, apply.Object))
                    {
                        Problems.Add($"step {i} ({step}) changes nothing");
                    }

                    _state[key] = apply.Object;
                    See(key, apply.Object);
                    break;
                case DeleteStep delete:
                    var deleted = _state.Keys.Single(k => k.Kind == delete.Kind && k.Namespace == delete.Namespace && k.Name == delete.Name);
                    _state.Remove(deleted);
                    See(deleted, null);
                    break;
                case WaitStep:
                    Settle();
                    break;
            }

            Check(i, step);
        }
    }

    private void See(ObjectKey key, JsonObject? version)
    {
        if (!_visible.TryGetValue(key, out var versions))
        {
            _visible[key] = versions = [null];
        }

        versions.Add(version);
    }

    private void Settle()
    {
        _visible.Clear();
        foreach (var (key, obj) in _state)
        {
            _visible[key] = [obj];
        }
    }

    private void Check(int index, PlanStep step)
    {
        foreach (var violation in SubsetReferences.FindMissing(_state.Values.ToList()))
        {
            Problems.Add($"after step {index} ({step}): {violation.ToDiagnostic()}");
        }

        foreach (var (key, versions) in _visible)
        {
            foreach (var vs in versions.OfType<JsonObject>().Where(SubsetReferences.IsVirtualService))
            {
                foreach (var reference in SubsetReferences.Collect(vs))
                {
                    CheckVisible(index, step, key, reference);
                }
            }
        }
    }

    private void CheckVisible(int index, PlanStep step, ObjectKey vsKey, SubsetReference reference)
    {
        var rules = _visible.Where(p => p.Value.OfType<JsonObject>().Any(o => SubsetReferences.IsDestinationRule(o) && SubsetReferences.HostOf(o, "cluster.local") == reference.Host)).ToList();
        if (rules.Count == 0)
        {
            Problems.Add($"after step {index} ({step}): a proxy may see {vsKey} use {reference.Host}/{reference.Subset} with no DestinationRule");
        }

        foreach (var (ruleKey, versions) in rules)
        {
            if (versions.Any(v => v is null || !SubsetReferences.SubsetNamesOf(v).Contains(reference.Subset)))
            {
                Problems.Add($"after step {index} ({step}): a proxy may see {vsKey} use subset {reference.Subset} while seeing {ruleKey} without it");
            }
        }

        // Our hosts are <service>.<namespace>.svc.cluster.local: the Service must be visible too.
        var parts = reference.Host.Split('.');
        var serviceKey = new ObjectKey(string.Empty, "Service", parts[1], parts[0]);
        if (!_visible.TryGetValue(serviceKey, out var services) || services.Any(s => s is null))
        {
            Problems.Add($"after step {index} ({step}): a proxy may see {vsKey} route to {reference.Host} before its Service exists");
        }
    }
}

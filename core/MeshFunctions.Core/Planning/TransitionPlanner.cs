using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Planning;

/// <summary>
/// Plans the move from the live objects to the desired ones, make-before-break (Istio's "avoid 503s while
/// reconfiguring service routes"). Pure; works on any objects, so it also plans IstioFilter-patched output.
/// </summary>
/// <remarks>
/// Phases, each present only when it has work, with a <see cref="WaitStep"/> between two phases only when the later
/// one depends on proxies having seen the earlier one:
/// <list type="number">
/// <item>Make: new or changed objects other than VirtualServices and DestinationRules (Services first), then each
/// desired DestinationRule in an intermediate form: its desired subsets plus every live subset a live VirtualService
/// still uses, so nothing in use disappears.</item>
/// <item>Wait, when phase 1 changed anything and phase 3 applies a VirtualService.</item>
/// <item>Switch: new or changed VirtualServices; VirtualServices no longer desired are deleted.</item>
/// <item>Wait, when phase 3 changed anything and anything is left to remove.</item>
/// <item>Break: DestinationRules drop the subsets kept in phase 1; DestinationRules no longer desired are deleted,
/// then every other object no longer desired (Services last).</item>
/// </list>
/// Objects are matched by (API group, kind, namespace, name). An unchanged object gets no step: comparison ignores
/// status, server-set metadata and server-defaulted Service fields. Assumes a DestinationRule keeps its host (true of
/// everything the renderer produces, whose names encode the host); subsets are kept across a host change only for
/// the same host.
/// </remarks>
public static class TransitionPlanner
{
    /// <summary>Plans with <see cref="PlanOptions.Default"/>.</summary>
    public static TransitionPlan Plan(IReadOnlyList<JsonObject> live, IReadOnlyList<JsonObject> desired) =>
        Plan(live, desired, PlanOptions.Default);

    /// <summary>The steps from <paramref name="live"/> to <paramref name="desired"/>.</summary>
    /// <exception cref="ArgumentException">
    /// An object appears twice in one list, or the desired VirtualServices use a subset that the desired
    /// DestinationRules do not define (references to hosts without any given DestinationRule are not checked).
    /// </exception>
    public static TransitionPlan Plan(IReadOnlyList<JsonObject> live, IReadOnlyList<JsonObject> desired, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(options);
        var liveByKey = Index(live, nameof(live));
        var desiredByKey = Index(desired, nameof(desired));
        CheckDesired(live, desired, options);

        var usedByLive = new HashSet<(string Host, string Subset)>();
        foreach (var obj in live)
        {
            foreach (var reference in SubsetReferences.Collect(obj, options.ClusterDomain))
            {
                usedByLive.Add((reference.Host, reference.Subset));
            }
        }

        var make = new List<PlanStep>();
        var makeRules = new List<PlanStep>();
        var switchRoutes = new List<PlanStep>();
        var shrinkRules = new List<PlanStep>();
        var deleteRules = new List<PlanStep>();
        var deleteOthers = new List<PlanStep>();

        foreach (var (key, want) in desiredByKey)
        {
            liveByKey.TryGetValue(key, out var have);
            if (SubsetReferences.IsVirtualService(want))
            {
                if (have is null || !ObjectComparer.Same(have, want))
                {
                    switchRoutes.Add(new ApplyStep(want, have is null ? $"create {key}: route to the new destinations" : $"update {key}: route to the desired destinations"));
                }
            }
            else if (SubsetReferences.IsDestinationRule(want))
            {
                PlanDestinationRule(key, have, want, usedByLive, options, makeRules, shrinkRules);
            }
            else if (have is null || !ObjectComparer.Same(have, want))
            {
                make.Add(new ApplyStep(want, have is null ? $"create {key}" : $"update {key}"));
            }
        }

        foreach (var (key, have) in liveByKey)
        {
            if (desiredByKey.ContainsKey(key))
            {
                continue;
            }

            var apiVersion = JsonRead.String(have, "apiVersion") ?? string.Empty;
            if (SubsetReferences.IsVirtualService(have))
            {
                switchRoutes.Add(new DeleteStep(apiVersion, key.Kind, key.Namespace, key.Name, $"{key} is no longer desired: stop routing through it"));
            }
            else if (SubsetReferences.IsDestinationRule(have))
            {
                deleteRules.Add(new DeleteStep(apiVersion, key.Kind, key.Namespace, key.Name, $"{key} is no longer desired and no route uses its subsets any more"));
            }
            else
            {
                deleteOthers.Add(new DeleteStep(apiVersion, key.Kind, key.Namespace, key.Name, $"{key} is no longer desired and nothing routes to it any more"));
            }
        }

        make.AddRange(makeRules);
        var steps = new List<PlanStep>(make);
        if (make.Count > 0 && switchRoutes.Any(s => s is ApplyStep))
        {
            steps.Add(new WaitStep(options.PropagationDelay, "let proxies receive the new Services and DestinationRule subsets before VirtualServices route to them"));
        }

        steps.AddRange(switchRoutes);
        var breakSteps = shrinkRules.Concat(deleteRules).Concat(deleteOthers).ToList();
        if (switchRoutes.Count > 0 && breakSteps.Count > 0)
        {
            steps.Add(new WaitStep(options.PropagationDelay, "let proxies stop using the old routes before their subsets, DestinationRules and Services go"));
        }

        steps.AddRange(breakSteps);
        return new TransitionPlan(steps);
    }

    private static void PlanDestinationRule(
        ObjectKey key,
        JsonObject? have,
        JsonObject want,
        HashSet<(string Host, string Subset)> usedByLive,
        PlanOptions options,
        List<PlanStep> makeRules,
        List<PlanStep> shrinkRules)
    {
        var wantNames = SubsetReferences.SubsetNamesOf(want).ToHashSet(StringComparer.Ordinal);
        if (have is null)
        {
            makeRules.Add(new ApplyStep(want, $"create {key} with subsets [{string.Join(", ", wantNames)}] before any route uses them"));
            return;
        }

        var host = SubsetReferences.HostOf(want, options.ClusterDomain);
        var keep = new List<JsonObject>();
        var liveSubsets = JsonRead.Array(JsonRead.Object(have, "spec"), "subsets");
        if (host is not null && host == SubsetReferences.HostOf(have, options.ClusterDomain) && liveSubsets is not null)
        {
            foreach (var node in liveSubsets)
            {
                if (node is JsonObject subset && JsonRead.String(subset, "name") is { } name
                    && !wantNames.Contains(name) && usedByLive.Contains((host, name)))
                {
                    keep.Add(subset);
                }
            }
        }

        var intermediate = want;
        if (keep.Count > 0)
        {
            intermediate = (JsonObject)want.DeepClone();
            var spec = intermediate["spec"] as JsonObject ?? throw new ArgumentException($"{key}: spec is missing", "desired");
            if (spec["subsets"] is not JsonArray subsets)
            {
                spec["subsets"] = subsets = [];
            }

            // Each kept subset goes back right after the subset it followed live, so that an intermediate equal to
            // the live object is recognised as unchanged.
            foreach (var subset in keep)
            {
                var liveIndex = liveSubsets!.IndexOf(subset);
                var before = liveIndex > 0 ? JsonRead.String(liveSubsets[liveIndex - 1] as JsonObject, "name") : null;
                var at = 0;
                for (var i = 0; i < subsets.Count && before is not null; i++)
                {
                    if (JsonRead.String(subsets[i] as JsonObject, "name") == before)
                    {
                        at = i + 1;
                        break;
                    }
                }

                subsets.Insert(at, subset.DeepClone());
            }
        }

        if (!ObjectComparer.Same(have, intermediate))
        {
            var added = wantNames.Except(SubsetReferences.SubsetNamesOf(have), StringComparer.Ordinal).ToList();
            var reason = keep.Count == 0
                ? $"update {key}" + (added.Count > 0 ? $": add subsets [{string.Join(", ", added)}] before any route uses them" : string.Empty)
                : $"update {key}: add subsets [{string.Join(", ", added)}], keep [{string.Join(", ", keep.Select(s => (string?)s["name"]))}] while live routes still use them";
            makeRules.Add(new ApplyStep(intermediate, reason));
        }

        if (keep.Count > 0)
        {
            shrinkRules.Add(new ApplyStep(want, $"update {key}: remove subsets [{string.Join(", ", keep.Select(s => (string?)s["name"]))}], which no route uses any more"));
        }
    }

    private static Dictionary<ObjectKey, JsonObject> Index(IReadOnlyList<JsonObject> objects, string parameter)
    {
        // Insertion order is kept (no removals), which keeps each phase in the caller's order.
        var byKey = new Dictionary<ObjectKey, JsonObject>(objects.Count);
        foreach (var obj in objects)
        {
            ArgumentNullException.ThrowIfNull(obj, parameter);
            var key = ObjectKey.Of(obj);
            if (key.Kind.Length == 0 || key.Name.Length == 0)
            {
                throw new ArgumentException($"every object needs kind and metadata.name; got one with kind '{key.Kind}' and name '{key.Name}'", parameter);
            }

            if (!byKey.TryAdd(key, obj))
            {
                throw new ArgumentException($"{key} is listed twice", parameter);
            }
        }

        return byKey;
    }

    /// <summary>Refuses a desired state that would itself route to a missing subset: no ordering could make it safe.</summary>
    private static void CheckDesired(IReadOnlyList<JsonObject> live, IReadOnlyList<JsonObject> desired, PlanOptions options)
    {
        // The desired set must be consistent on its own: a reference is checked against the desired DestinationRules (by
        // Istio's lookup); a host only the live state has a rule for needs one in the desired state too.
        var desiredRules = new Istio.DestinationRuleIndex(desired.Where(SubsetReferences.IsDestinationRule), options.ClusterDomain, options.RootNamespace);
        var liveRules = new Istio.DestinationRuleIndex(live.Where(SubsetReferences.IsDestinationRule), options.ClusterDomain, options.RootNamespace);
        var problems = new List<string>();
        foreach (var obj in desired)
        {
            foreach (var reference in SubsetReferences.Collect(obj, options.ClusterDomain))
            {
                var (rules, subsets) = desiredRules.Lookup(reference.Host, reference.VirtualServiceNamespace);
                var known = rules.Count > 0;
                if ((known && !subsets.Contains(reference.Subset)) || (!known && liveRules.Lookup(reference.Host, reference.VirtualServiceNamespace).Rules.Count > 0))
                {
                    problems.Add(new SubsetViolation(reference, known).ToDiagnostic().ToString());
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("the desired objects are inconsistent:\n" + string.Join('\n', problems), nameof(desired));
        }
    }
}

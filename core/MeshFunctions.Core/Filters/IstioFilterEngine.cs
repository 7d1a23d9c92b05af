using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Filters.Internal;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters;

/// <summary>
/// Layers IstioFilters onto a Router's rendered VirtualService and DestinationRules, and renders the
/// AuthorizationPolicies, EnvoyFilters and Telemetries their workload blocks ask for. Pure: the input is never
/// changed, and the result depends only on the set of filters, not on the order they are passed in.
/// </summary>
public static class IstioFilterEngine
{
    /// <summary>
    /// Applies the filters that target <paramref name="rendered"/>'s Router (same namespace, <c>targetRef</c> naming it;
    /// others are skipped and get no outcome) in (priority, creationTimestamp, namespace, name) order. A later filter
    /// overwrites a field an earlier one set; the earlier filter's outcome then carries a conflict warning.
    /// A filter that cannot apply (e.g. mirror to a missing version) changes nothing and is <see cref="FilterOutcomeStatus.Failed"/>.
    /// </summary>
    public static FilterResult Apply(RenderedRouter rendered, IEnumerable<IstioFilter> filters) =>
        Apply(rendered, filters, RenderOptions.Default);

    /// <summary>
    /// As <see cref="Apply(RenderedRouter, IEnumerable{IstioFilter})"/>, with the workload labels, version label,
    /// cluster domain and managed-by value the Router was rendered with.
    /// </summary>
    public static FilterResult Apply(RenderedRouter rendered, IEnumerable<IstioFilter> filters, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(options);
        var vs = (JsonObject)rendered.VirtualService.DeepClone();
        var drs = new JsonObject[rendered.DestinationRules.Count];
        for (var i = 0; i < drs.Length; i++)
        {
            drs[i] = (JsonObject)rendered.DestinationRules[i].DeepClone();
        }

        return ApplyTo(rendered.Router, vs, drs, filters, options);
    }

    /// <summary>
    /// Renders <paramref name="router"/> and applies the filters that target it, patching the freshly rendered
    /// VirtualService and DestinationRules in place: the same objects and outcomes as
    /// <see cref="RouterRenderer.Render(Router, RenderOptions)"/> followed by
    /// <see cref="Apply(RenderedRouter, IEnumerable{IstioFilter}, RenderOptions)"/>, without the copies that keep
    /// <c>Apply</c>'s input unchanged (nobody else holds these). What <c>meshctl render</c> and the reconciler use.
    /// </summary>
    /// <exception cref="ArgumentException">The Router cannot be rendered (as <see cref="RouterRenderer.Render(Router, RenderOptions)"/>).</exception>
    public static PatchedRouter RenderAndApply(Router router, IEnumerable<IstioFilter> filters, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(options);
        var rendered = RouterRenderer.Render(router, options);
        var drs = new JsonObject[rendered.DestinationRules.Count];
        for (var i = 0; i < drs.Length; i++)
        {
            drs[i] = rendered.DestinationRules[i];
        }

        return new PatchedRouter(rendered.Services, ApplyTo(router, rendered.VirtualService, drs, filters, options));
    }

    /// <summary>Patches <paramref name="vs"/> and <paramref name="drs"/> in place; they become the result's objects.</summary>
    private static FilterResult ApplyTo(Router router, JsonObject vs, JsonObject[] drs, IEnumerable<IstioFilter> filters, RenderOptions options)
    {

        var applicable = new List<IstioFilter>();
        foreach (var f in filters)
        {
            if (Targets(f, router))
            {
                applicable.Add(f);
            }
        }

        applicable.Sort(FilterOrder.Instance);

        var topology = new RouterTopology(router, vs, drs, options);
        var session = new PatchSession(applicable);
        var extras = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var plans = new FilterPlan[applicable.Count];
        for (var i = 0; i < applicable.Count; i++)
        {
            session.Current = i;
            var plan = plans[i] = FilterPlan.Compile(applicable[i], topology);
            if (plan.Failed)
            {
                continue;
            }

            RoutePatcher.Apply(plan, topology, session);
            PolicyPatcher.Apply(plan, topology, session);
            WorkloadPatcher.Apply(plan, topology, session, extras);
        }

        var conflicts = session.Conflicts();
        var outcomes = new FilterOutcome[applicable.Count];
        for (var i = 0; i < applicable.Count; i++)
        {
            var f = applicable[i];
            var subject = $"{IstioFilter.KindValue} {f.Metadata.NamespaceOrDefault}/{f.Metadata.Name}";
            IEnumerable<Diagnostic> diagnostics = plans[i].Diagnostics;
            FilterConflict[] overrides = [];
            if (conflicts[i] is { } c)
            {
                c.Sort(static (a, b) =>
                {
                    var byMessage = string.CompareOrdinal(a.Warning.Message, b.Warning.Message);
                    return byMessage != 0 ? byMessage : string.CompareOrdinal(a.Warning.Path, b.Warning.Path);
                });
                diagnostics = diagnostics.Concat(c.Select(p => p.Warning));
                overrides = c.Select(p => p.Conflict).ToArray();
            }

            outcomes[i] = new FilterOutcome(
                f,
                plans[i].Failed ? FilterOutcomeStatus.Failed : FilterOutcomeStatus.Applied,
                diagnostics.Select(d => d with { Subject = subject }).ToArray())
            {
                Overrides = overrides,
            };
        }

        var extraList = extras.Values.ToList();
        extraList.Sort(CompareObjects);
        return new FilterResult(vs, drs, extraList, outcomes);
    }

    /// <summary>True when the filter names this Router and lives in its namespace.</summary>
    public static bool Targets(IstioFilter filter, Router router)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(router);
        return filter.Spec.TargetRef.Name == router.Metadata.Name
            && filter.Spec.TargetRef.Kind is null or "" or Router.KindValue
            && filter.Metadata.NamespaceOrDefault == router.Metadata.NamespaceOrDefault;
    }

    private static int CompareObjects(JsonObject a, JsonObject b)
    {
        var c = string.CompareOrdinal((string?)a["kind"], (string?)b["kind"]);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal((string?)a["metadata"]!["namespace"], (string?)b["metadata"]!["namespace"]);
        return c != 0 ? c : string.CompareOrdinal((string?)a["metadata"]!["name"], (string?)b["metadata"]!["name"]);
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Reconciliation;

/// <summary>
/// Everything one Router should have live: its rendered objects with the IstioFilters that target it patched on, the
/// <c>ratelimit-&lt;svc&gt;</c> EnvoyFilter when RateLimits protect its service, and what the reconciler reports back
/// (filter outcomes for the IstioFilters' status, RateLimit findings). Every object carries <see cref="RouterLabels"/>,
/// so the live counterpart is found by label, in any namespace.
/// </summary>
/// <param name="Objects">The desired objects, in apply order.</param>
/// <param name="FilterOutcomes">One outcome per IstioFilter targeting the Router.</param>
/// <param name="RateLimitDiagnostics">Findings about RateLimits naming this Router's service.</param>
/// <param name="RateLimited">True when a RateLimit protects the service: its workload Sidecar must import the RLS host.</param>
public sealed record RouterDesiredState(
    IReadOnlyList<JsonObject> Objects,
    IReadOnlyList<FilterOutcome> FilterOutcomes,
    IReadOnlyList<Diagnostic> RateLimitDiagnostics,
    bool RateLimited)
{
    /// <summary>
    /// Composes the desired state of <paramref name="router"/>. <paramref name="rateLimits"/> may hold every RateLimit
    /// of the cluster: only the EnvoyFilter of this Router's service is kept.
    /// </summary>
    public static RouterDesiredState Compose(
        Router router,
        IEnumerable<IstioFilter> filters,
        IEnumerable<RateLimit> rateLimits,
        RenderOptions renderOptions,
        RateLimitRenderOptions rateLimitOptions)
    {
        ArgumentNullException.ThrowIfNull(router);
        var patched = IstioFilterEngine.RenderAndApply(router, filters, renderOptions);
        var objects = new List<JsonObject>(patched.All);

        var ns = router.Metadata.NamespaceOrDefault;
        var name = router.Metadata.Name;
        var limits = RateLimitRenderer.Render(rateLimits, rateLimitOptions);
        var filterName = RateLimitRenderer.EnvoyFilterName(name);
        var envoyFilter = limits.EnvoyFilters.FirstOrDefault(f => (string?)f["metadata"]?["name"] == filterName && (string?)f["metadata"]?["namespace"] == ns);
        if (envoyFilter is not null)
        {
            envoyFilter = (JsonObject)envoyFilter.DeepClone();
            var labels = (JsonObject)envoyFilter["metadata"]!["labels"]!;
            labels[RouterLabels.ManagedBy] = renderOptions.ManagedBy;
            labels[RouterLabels.RouterName] = name;
            labels[RouterLabels.RouterNamespace] = ns;
            objects.Add(envoyFilter);
        }

        var mine = limits.Diagnostics.Where(d => d.Subject is null || d.Subject.Contains(" " + ns + "/", StringComparison.Ordinal)).ToList();
        return new RouterDesiredState(objects, patched.Filters.Outcomes, mine, envoyFilter is not null);
    }
}

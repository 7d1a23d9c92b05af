using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Filters;

/// <summary>
/// One Router rendered with its IstioFilters applied (<see cref="IstioFilterEngine.RenderAndApply"/>): the Router's
/// Kubernetes Services, and the filter result (patched VirtualService and DestinationRules, extra objects, outcomes).
/// </summary>
public sealed record PatchedRouter(IReadOnlyList<JsonObject> Services, FilterResult Filters)
{
    /// <summary>All objects in apply order: Services, DestinationRules, extra objects, then the VirtualService.</summary>
    public IEnumerable<JsonObject> All => Services.Concat(Filters.All);
}

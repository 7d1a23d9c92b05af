using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Filters;

/// <summary>
/// What <see cref="IstioFilterEngine.Apply(Rendering.RenderedRouter, IEnumerable{Resources.IstioFilter}, Rendering.RenderOptions)"/> produced: patched deep copies of the VirtualService and
/// DestinationRules, the extra objects (AuthorizationPolicy, EnvoyFilter, Telemetry) sorted by kind,
/// namespace and name, and one outcome per filter targeting the Router, in apply order.
/// </summary>
public sealed record FilterResult(
    JsonObject VirtualService,
    IReadOnlyList<JsonObject> DestinationRules,
    IReadOnlyList<JsonObject> ExtraObjects,
    IReadOnlyList<FilterOutcome> Outcomes)
{
    /// <summary>All Istio objects in apply order: DestinationRules, extra objects, then the VirtualService.</summary>
    public IEnumerable<JsonObject> All => DestinationRules.Concat(ExtraObjects).Append(VirtualService);
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Rendering;

/// <summary>
/// Everything one Router renders to, before IstioFilters: its Kubernetes Services (own + one per branch),
/// one VirtualService for the service host, and one DestinationRule per branch host.
/// </summary>
public sealed record RenderedRouter(
    Router Router,
    IReadOnlyList<JsonObject> Services,
    JsonObject VirtualService,
    IReadOnlyList<JsonObject> DestinationRules)
{
    /// <summary>All objects in apply order (Services, DestinationRules, then the VirtualService).</summary>
    public IEnumerable<JsonObject> All => Services.Concat(DestinationRules).Append(VirtualService);
}

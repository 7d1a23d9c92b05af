using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// <c>filter.service-mesh.zhihu.com/v1</c> IstioFilter: one platform feature layered onto the
/// VirtualService/DestinationRules rendered from a Router, applied in (priority, creation time, name) order.
/// </summary>
public sealed record IstioFilter : IMeshResource
{
    public const string Group = "filter.service-mesh.zhihu.com";
    public const string ApiVersionValue = Group + "/v1";
    public const string KindValue = "IstioFilter";

    public string ApiVersion { get; init; } = ApiVersionValue;

    public string Kind { get; init; } = KindValue;

    public ObjectMeta Metadata { get; init; } = new();

    public IstioFilterSpec Spec { get; init; } = new();

    public System.Text.Json.Nodes.JsonObject? Status { get; init; }

    /// <inheritdoc />
    public IEnumerable<Diagnostic> Validate() =>
        MetadataRules.Validate(Metadata, serviceName: false).Concat(Spec.Validate());
}

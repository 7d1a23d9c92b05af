using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// <c>quota.service-mesh.zhihu.com/v1</c> RateLimit: a global quota on requests to some hosts whose
/// headers match, enforced by Envoy's global rate limit filter and the RLS.
/// </summary>
public sealed record RateLimit : IMeshResource
{
    public const string Group = "quota.service-mesh.zhihu.com";
    public const string ApiVersionValue = Group + "/v1";
    public const string KindValue = "RateLimit";

    public string ApiVersion { get; init; } = ApiVersionValue;

    public string Kind { get; init; } = KindValue;

    public ObjectMeta Metadata { get; init; } = new();

    public RateLimitSpec Spec { get; init; } = new();

    public System.Text.Json.Nodes.JsonObject? Status { get; init; }

    /// <inheritdoc />
    public IEnumerable<Diagnostic> Validate() =>
        MetadataRules.Validate(Metadata, serviceName: false).Concat(Spec.Validate());
}

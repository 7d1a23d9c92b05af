namespace MeshFunctions.Functions.Kubernetes;

/// <summary>A resource type the reconcilers read or write: API group/version, plural and kind.</summary>
internal sealed record KubeKind(string Group, string Version, string Plural, string Kind)
{
    public static readonly KubeKind Service = new(string.Empty, "v1", "services", "Service");
    public static readonly KubeKind ConfigMap = new(string.Empty, "v1", "configmaps", "ConfigMap");
    public static readonly KubeKind VirtualService = new("networking.istio.io", "v1", "virtualservices", "VirtualService");
    public static readonly KubeKind DestinationRule = new("networking.istio.io", "v1", "destinationrules", "DestinationRule");
    public static readonly KubeKind Sidecar = new("networking.istio.io", "v1", "sidecars", "Sidecar");
    public static readonly KubeKind EnvoyFilter = new("networking.istio.io", "v1alpha3", "envoyfilters", "EnvoyFilter");
    public static readonly KubeKind AuthorizationPolicy = new("security.istio.io", "v1", "authorizationpolicies", "AuthorizationPolicy");
    public static readonly KubeKind Telemetry = new("telemetry.istio.io", "v1", "telemetries", "Telemetry");
    public static readonly KubeKind Router = new("router.service-mesh.zhihu.com", "v1", "routers", "Router");
    public static readonly KubeKind IstioFilter = new("filter.service-mesh.zhihu.com", "v1", "istiofilters", "IstioFilter");
    public static readonly KubeKind RateLimit = new("quota.service-mesh.zhihu.com", "v1", "ratelimits", "RateLimit");

    /// <summary>Every kind a Router renders to (directly, through IstioFilters or RateLimits), in the order they are listed.</summary>
    public static IReadOnlyList<KubeKind> Rendered { get; } = [Service, DestinationRule, VirtualService, AuthorizationPolicy, EnvoyFilter, Telemetry];

    public bool IsCore => Group.Length == 0;

    public string ApiVersion => IsCore ? Version : Group + "/" + Version;

    /// <summary>The kind of a rendered object, by its <c>kind</c> (and group).</summary>
    public static KubeKind Of(string apiVersion, string kind)
    {
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        return Rendered.Concat([Sidecar, ConfigMap, Router, IstioFilter, RateLimit]).FirstOrDefault(k => k.Kind == kind && k.Group == group)
            ?? throw new ArgumentException($"no known resource for apiVersion '{apiVersion}' kind '{kind}'");
    }
}

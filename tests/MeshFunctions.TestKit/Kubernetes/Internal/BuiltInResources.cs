namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Resources registered at start: the Kubernetes built-ins we touch, Istio's CRDs and ours.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<KubeResourceType> All { get; } =
    [
        Core("namespaces", "Namespace", namespaced: false, status: true),
        Core("nodes", "Node", namespaced: false, status: true),
        Core("pods", "Pod", namespaced: true, status: true),
        Core("services", "Service", namespaced: true, status: true),
        Core("configmaps", "ConfigMap", namespaced: true, status: false),
        Core("secrets", "Secret", namespaced: true, status: false),
        Core("endpoints", "Endpoints", namespaced: true, status: false),
        Core("serviceaccounts", "ServiceAccount", namespaced: true, status: false),
        Core("events", "Event", namespaced: true, status: false),
        BuiltIn("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", namespaced: true, status: false),
        BuiltIn("apps", "v1", "deployments", "Deployment", namespaced: true, status: true),
        BuiltIn("apps", "v1", "statefulsets", "StatefulSet", namespaced: true, status: true),
        BuiltIn("apps", "v1", "daemonsets", "DaemonSet", namespaced: true, status: true),
        BuiltIn("apps", "v1", "replicasets", "ReplicaSet", namespaced: true, status: true),
        BuiltIn("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true, status: false),
        BuiltIn("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", namespaced: false, status: false),
        BuiltIn("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", namespaced: false, status: false),
        BuiltIn("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, status: true),
        Crd("networking.istio.io", "v1", "virtualservices", "VirtualService"),
        Crd("networking.istio.io", "v1", "destinationrules", "DestinationRule"),
        Crd("networking.istio.io", "v1", "sidecars", "Sidecar"),
        Crd("networking.istio.io", "v1", "serviceentries", "ServiceEntry"),
        Crd("networking.istio.io", "v1alpha3", "envoyfilters", "EnvoyFilter"),
        Crd("security.istio.io", "v1", "authorizationpolicies", "AuthorizationPolicy"),
        Crd("telemetry.istio.io", "v1", "telemetries", "Telemetry"),
        Crd("router.service-mesh.zhihu.com", "v1", "routers", "Router"),
        Crd("filter.service-mesh.zhihu.com", "v1", "istiofilters", "IstioFilter"),
        Crd("quota.service-mesh.zhihu.com", "v1", "ratelimits", "RateLimit"),
    ];

    private static KubeResourceType Core(string plural, string kind, bool namespaced, bool status) =>
        new(string.Empty, "v1", plural, kind, namespaced, status, IsCustom: false);

    private static KubeResourceType BuiltIn(string group, string version, string plural, string kind, bool namespaced, bool status) =>
        new(group, version, plural, kind, namespaced, status, IsCustom: false);

    private static KubeResourceType Crd(string group, string version, string plural, string kind) =>
        new(group, version, plural, kind, Namespaced: true, HasStatusSubresource: true, IsCustom: true);
}

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>Istio and MeshFunctions label and annotation names (istio/api <c>label/labels.yaml</c>, <c>annotation/annotations.yaml</c>).</summary>
internal static class IstioNames
{
    public const string InjectionLabel = "istio-injection";
    public const string InjectLabel = "sidecar.istio.io/inject";
    public const string RevisionLabel = "istio.io/rev";
    public const string StatusAnnotation = "sidecar.istio.io/status";
    public const string ProxyConfigAnnotation = "proxy.istio.io/config";
    public const string NativeSidecarAnnotation = "sidecar.istio.io/nativeSidecar";
    public const string LocalityLabel = "istio-locality";
    public const string TopologyLocalityLabel = "topology.istio.io/locality";
    public const string ProxyContainer = "istio-proxy";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "meshfunctions";
    public const string InjectionDecisionAnnotation = "meshfunctions.io/injection-decision";
    public const string RegionLabel = "topology.kubernetes.io/region";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string SubzoneLabel = "topology.istio.io/subzone";
}

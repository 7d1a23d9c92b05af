using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>The label and annotation keys of <see cref="IstioNames"/> and the values the rules compare with, as <see cref="JsonText"/>.</summary>
internal static class IstioKeys
{
    public static readonly JsonText InjectionLabel = new(IstioNames.InjectionLabel);
    public static readonly JsonText InjectLabel = new(IstioNames.InjectLabel);
    public static readonly JsonText RevisionLabel = new(IstioNames.RevisionLabel);
    public static readonly JsonText StatusAnnotation = new(IstioNames.StatusAnnotation);
    public static readonly JsonText ProxyConfigAnnotation = new(IstioNames.ProxyConfigAnnotation);
    public static readonly JsonText NativeSidecarAnnotation = new(IstioNames.NativeSidecarAnnotation);
    public static readonly JsonText LocalityLabel = new(IstioNames.LocalityLabel);
    public static readonly JsonText TopologyLocalityLabel = new(IstioNames.TopologyLocalityLabel);
    public static readonly JsonText InjectionDecisionAnnotation = new(IstioNames.InjectionDecisionAnnotation);
    public static readonly JsonText ProxyContainer = new(IstioNames.ProxyContainer);

    public static readonly JsonText Enabled = new("enabled");
    public static readonly JsonText Disabled = new("disabled");
    public static readonly JsonText True = new("true");
    public static readonly JsonText False = new("false");
    public static readonly JsonText Always = new("Always");
    public static readonly JsonText Job = new("Job");
}

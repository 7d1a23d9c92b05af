using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>The member names the pod rules read, as <see cref="JsonText"/> (looked up without transcoding in a parsed document).</summary>
internal static class PodFields
{
    public static readonly JsonText ApiVersion = new("apiVersion");
    public static readonly JsonText Kind = new("kind");
    public static readonly JsonText Metadata = new("metadata");
    public static readonly JsonText Labels = new("labels");
    public static readonly JsonText Annotations = new("annotations");
    public static readonly JsonText OwnerReferences = new("ownerReferences");
    public static readonly JsonText Spec = new("spec");
    public static readonly JsonText HostNetwork = new("hostNetwork");
    public static readonly JsonText Containers = new("containers");
    public static readonly JsonText InitContainers = new("initContainers");
    public static readonly JsonText Name = new("name");
    public static readonly JsonText RestartPolicy = new("restartPolicy");
    public static readonly JsonText Lifecycle = new("lifecycle");
    public static readonly JsonText PreStop = new("preStop");
    public static readonly JsonText PostStart = new("postStart");
    public static readonly JsonText Sleep = new("sleep");
    public static readonly JsonText Seconds = new("seconds");
    public static readonly JsonText Exec = new("exec");
    public static readonly JsonText Command = new("command");
    public static readonly JsonText TerminationGracePeriodSeconds = new("terminationGracePeriodSeconds");
    public static readonly JsonText NodeSelector = new("nodeSelector");
}

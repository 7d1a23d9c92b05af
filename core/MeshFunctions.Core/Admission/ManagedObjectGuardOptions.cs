namespace MeshFunctions.Core.Admission;

/// <summary>Who may change objects that MeshFunctions renders.</summary>
public sealed class ManagedObjectGuardOptions
{
    /// <summary>The controller's username, e.g. <c>system:serviceaccount:meshfunctions:meshfunctions</c>. Required.</summary>
    public string ServiceAccountUsername { get; set; } = string.Empty;

    /// <summary>
    /// Other users allowed to change managed objects. Default: the garbage collector (deletes rendered objects when their
    /// Router goes) and the namespace controller (deletes everything in a terminating namespace).
    /// </summary>
    public IList<string> AlsoAllowedUsernames { get; } =
    [
        "system:serviceaccount:kube-system:generic-garbage-collector",
        "system:serviceaccount:kube-system:namespace-controller",
    ];

    /// <summary>The annotation that lets a person make an audited emergency change; its value is the reason. Default <c>meshfunctions.io/break-glass</c>.</summary>
    public string BreakGlassAnnotation { get; set; } = "meshfunctions.io/break-glass";
}

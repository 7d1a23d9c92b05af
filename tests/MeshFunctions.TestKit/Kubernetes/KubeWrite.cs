using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>One committed write, in commit order (see <see cref="FakeKubernetesApi.Writes"/>).</summary>
/// <param name="Verb">What the write did.</param>
/// <param name="Type">The resource type written.</param>
/// <param name="Namespace">Namespace, or null for cluster-scoped objects.</param>
/// <param name="Name">Object name.</param>
/// <param name="ResourceVersion">The global resource version this write produced.</param>
/// <param name="Object">A copy of the object after the write (the last state for deletes).</param>
public sealed record KubeWrite(
    KubeWriteVerb Verb,
    KubeResourceType Type,
    string? Namespace,
    string Name,
    long ResourceVersion,
    JsonObject Object)
{
    /// <summary><c>apiVersion/plural/namespace/name</c> (no namespace segment for cluster-scoped objects).</summary>
    public string Key => Namespace is null ? $"{Type.Key}/{Name}" : $"{Type.Key}/{Namespace}/{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{ResourceVersion} {Verb} {Key}";
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// The parts of an <c>admission.k8s.io/v1</c> AdmissionReview request the rules read. Disposed by whoever read it once
/// the answer is written: that returns the pooled documents of objects borrowed from the request's body.
/// </summary>
internal sealed record AdmissionRequest : IDisposable
{
    public required string Uid { get; init; }

    /// <summary><c>request.kind</c>: group, version and kind of <see cref="Object"/>.</summary>
    public required GroupVersionKind Kind { get; init; }

    /// <summary><c>request.resource.resource</c>, e.g. <c>deployments</c>.</summary>
    public string Resource { get; init; } = string.Empty;

    public string? SubResource { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public required AdmissionOperation Operation { get; init; }

    public string Username { get; init; } = string.Empty;

    /// <summary><c>request.object</c>, parsed when first read.</summary>
    public ReviewObject? ObjectJson { get; init; }

    /// <summary><c>request.oldObject</c>, parsed when first read (VirtualService validation never reads it).</summary>
    public ReviewObject? OldObjectJson { get; init; }

    /// <summary><c>request.object</c> as a node tree (parsed at first use).</summary>
    public JsonObject? Object => ObjectJson?.Node;

    /// <summary><c>request.oldObject</c> as a node tree (parsed at first use).</summary>
    public JsonObject? OldObject => OldObjectJson?.Node;

    public bool DryRun { get; init; }

    public void Dispose()
    {
        ObjectJson?.Dispose();
        OldObjectJson?.Dispose();
    }

    /// <summary><c>namespace/name</c> for logs and metrics-free messages.</summary>
    public string Subject => $"{Kind.Kind} {(string.IsNullOrEmpty(Namespace) ? string.Empty : Namespace + "/")}{Name}";
}

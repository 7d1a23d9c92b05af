using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Tests.Protocol;

/// <summary>What a reader read from a review, comparable between readers (objects as their JSON text).</summary>
internal sealed record ReadReview
{
    public required string Uid { get; init; }

    public required GroupVersionKind Kind { get; init; }

    public string Resource { get; init; } = string.Empty;

    public string? SubResource { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public required AdmissionOperation Operation { get; init; }

    public string Username { get; init; } = string.Empty;

    public string? Object { get; init; }

    public string? OldObject { get; init; }

    public bool DryRun { get; init; }

    public static ReadReview From(AdmissionRequest request) => new()
    {
        Uid = request.Uid,
        Kind = request.Kind,
        Resource = request.Resource,
        SubResource = request.SubResource,
        Name = request.Name,
        Namespace = request.Namespace,
        Operation = request.Operation,
        Username = request.Username,
        Object = request.ObjectJson?.Element.GetRawText(),
        OldObject = request.OldObjectJson?.Element.GetRawText(),
        DryRun = request.DryRun,
    };
}

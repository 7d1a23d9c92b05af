using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>One write as the admission chain sees it (kube-apiserver's <c>admission.Attributes</c>).</summary>
internal sealed record AdmissionAttributes(
    KubeResourceType Type,
    string Operation,
    string? Namespace,
    string Name,
    string? SubResource,
    JsonObject? Object,
    JsonObject? OldObject,
    JsonObject? Options,
    bool DryRun,
    string Username);

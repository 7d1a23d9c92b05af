using System.Net;

namespace MeshFunctions.Core.Discovery;

/// <summary>
/// The answer rule of Discovery (DESIGN §6), as pure functions: a caller in the mesh asking for a target in
/// the mesh gets the target's ServiceIP; everyone else gets upstream Consul's instances unchanged; the global
/// rollback switch makes every answer a plain proxy answer.
/// </summary>
public static class DiscoveryRule
{
    /// <summary>Label on a Router that takes its service out of the mesh for Discovery's answers (per-service rollback).</summary>
    public const string RollbackLabel = "discovery.service-mesh.zhihu.com/rollback";

    /// <summary>Istio's per-pod injection label; <c>"true"</c> means the pod was meant to get a sidecar.</summary>
    public const string InjectLabel = "sidecar.istio.io/inject";

    /// <summary>Annotation the Istio injector writes on every pod it injected.</summary>
    public const string SidecarStatusAnnotation = "sidecar.istio.io/status";

    /// <summary>Decides the kind of answer for <paramref name="caller"/> (null: source IP is no known pod) asking for <paramref name="target"/>.</summary>
    public static AnswerKind Decide(CallerState? caller, TargetState? target, bool globalRollback)
    {
        if (globalRollback)
        {
            return AnswerKind.Proxy;
        }

        return caller is { InMesh: true } && IsTargetInMesh(target) ? AnswerKind.Mesh : AnswerKind.Legacy;
    }

    /// <summary>
    /// A target is in the mesh only while its Router exists and is not rolled back, and its Service has a
    /// ClusterIP, a port and at least one ready endpoint: never a ServiceIP that nothing answers behind.
    /// </summary>
    public static bool IsTargetInMesh(TargetState? target) =>
        target is { RouterExists: true, RolledBack: false, ReadyEndpoints: > 0, Port: > 0 }
        && IPAddress.TryParse(target.ServiceIp, out _);

    /// <summary>A pod is a mesh caller when the injector marked it, or its injection label asks for a sidecar.</summary>
    public static bool IsPodInMesh(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations) =>
        (annotations is not null && annotations.ContainsKey(SidecarStatusAnnotation))
        || (labels is not null && labels.TryGetValue(InjectLabel, out var inject) && string.Equals(inject, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a Router's labels roll its service back out of the mesh.</summary>
    public static bool IsRolledBack(IReadOnlyDictionary<string, string>? routerLabels) =>
        routerLabels is not null && routerLabels.TryGetValue(RollbackLabel, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Picks the target among the candidates of one service name in several
    /// namespaces: the one in the caller's namespace, else the only one; several and none in the caller's
    /// namespace is ambiguous and gives null (the legacy answer), never a guess.
    /// </summary>
    public static TargetState? PickTarget(IReadOnlyList<TargetState> candidates, string? callerNamespace)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        if (callerNamespace is not null)
        {
            foreach (var candidate in candidates)
            {
                if (string.Equals(candidate.Namespace, callerNamespace, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }

        return candidates.Count == 1 ? candidates[0] : null;
    }
}

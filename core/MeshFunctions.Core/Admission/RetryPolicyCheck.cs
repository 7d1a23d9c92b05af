using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// Flags gRPC routes that retry on <c>unavailable</c> or <c>cancelled</c>: when a backend is down, every such retry
/// multiplies the load (Istio's default, 2 retries on <c>connect-failure,refused-stream,unavailable,cancelled</c>,
/// triples it). A route is gRPC when its destination host belongs to a Router with <c>protocol: grpc</c> (including its
/// branch hosts <c>&lt;svc&gt;--&lt;branch&gt;</c>) or to a Service whose port is named <c>grpc</c>/<c>grpc-*</c> or has
/// <c>appProtocol: grpc</c>. Explicit risky <c>retryOn</c> values follow the <see cref="RetryPolicyMode"/>; routes that leave
/// retries to Istio's default only get a warning.
/// </summary>
public static class RetryPolicyCheck
{
    private static readonly string[] RiskyConditions = ["unavailable", "cancelled"];

    /// <summary>
    /// Checks every <c>spec.http[]</c> route of <paramref name="virtualService"/>. <paramref name="routers"/> and
    /// <paramref name="services"/> are the live Routers and Kubernetes Services used to tell gRPC hosts apart.
    /// Explicit risky <c>retryOn</c> values are denied or warned by <paramref name="mode"/>; Istio's default retries are warned.
    /// </summary>
    public static AdmissionDecision Check(
        JsonObject virtualService,
        IReadOnlyCollection<Router> routers,
        IReadOnlyCollection<JsonObject> services,
        RetryPolicyMode mode = RetryPolicyMode.Deny,
        string clusterDomain = "cluster.local")
    {
        var id = ObjectId.Of(virtualService);
        var findings = Findings(virtualService, routers, services, clusterDomain);
        var errors = findings.Where(f => f.Explicit && mode == RetryPolicyMode.Deny).Select(f => f.Text).ToList();
        var warnings = findings.Where(f => !f.Explicit || mode == RetryPolicyMode.Warn).Select(f => f.Text).ToList();
        return errors.Count > 0
            ? AdmissionDecision.Deny($"{id}: " + string.Join("; ", errors), warnings)
            : AdmissionDecision.Allow(warnings.Select(w => $"{id}: {w}").ToList());
    }

    /// <summary>The risky retry policies of <paramref name="virtualService"/>'s gRPC routes, in route order (the one rule <c>meshctl check</c> and admission share).</summary>
    public static IReadOnlyList<RetryFinding> Findings(
        JsonObject virtualService,
        IReadOnlyCollection<Router> routers,
        IReadOnlyCollection<JsonObject> services,
        string clusterDomain = "cluster.local")
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        ArgumentNullException.ThrowIfNull(routers);
        ArgumentNullException.ThrowIfNull(services);
        var id = ObjectId.Of(virtualService);
        var http = (virtualService["spec"] as JsonObject)?["http"] as JsonArray ?? [];
        var findings = new List<RetryFinding>();
        for (var i = 0; i < http.Count; i++)
        {
            if (http[i] is not JsonObject route || GrpcHost(route, id.Namespace, routers, services, clusterDomain) is not { } host)
            {
                continue;
            }

            var path = $"spec.http[{i}].retries";
            var retries = route["retries"] as JsonObject;
            if (JsonNav.AsLong(retries?["attempts"]) == 0)
            {
                continue;
            }

            if (ObjectId.Text(retries?["retryOn"]) is not { } retryOn)
            {
                findings.Add(new RetryFinding(path, host, $"gRPC host {host} uses Istio's default retryOn, which includes unavailable,cancelled; set it explicitly", Explicit: false));
                continue;
            }

            var risky = retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(c => RiskyConditions.Contains(c, StringComparer.Ordinal))
                .ToList();
            if (risky.Count > 0)
            {
                findings.Add(new RetryFinding(
                    path + ".retryOn",
                    host,
                    $"'{retryOn}' retries gRPC {string.Join("/", risky)} on host {host}, which multiplies traffic during an outage; use e.g. 'connect-failure,refused-stream' or attempts: 0",
                    Explicit: true));
            }
        }

        return findings;
    }

    private static string? GrpcHost(JsonObject route, string ns, IReadOnlyCollection<Router> routers, IReadOnlyCollection<JsonObject> services, string clusterDomain)
    {
        foreach (var destination in (route["route"] as JsonArray ?? []).Select(r => (r as JsonObject)?["destination"] as JsonObject))
        {
            if (ObjectId.Text(destination?["host"]) is not { Length: > 0 } written)
            {
                continue;
            }

            var host = MeshHosts.Resolve(written, ns, clusterDomain);
            var port = JsonNav.AsLong((destination?["port"] as JsonObject)?["number"]);
            if (IsGrpcRouter(host, routers, clusterDomain) || IsGrpcService(host, port, services, clusterDomain))
            {
                return host;
            }
        }

        return null;
    }

    private static bool IsGrpcRouter(string host, IReadOnlyCollection<Router> routers, string clusterDomain)
    {
        if (MeshHosts.ServiceNamespace(host, clusterDomain) is not { } hostNs)
        {
            return false;
        }

        var name = host[..host.IndexOf('.', StringComparison.Ordinal)];
        return routers.Any(r => r.Spec.Protocol == RouterProtocol.Grpc
            && (name == r.Metadata.Name || name.StartsWith(r.Metadata.Name + "--", StringComparison.Ordinal))
            && (hostNs == r.Metadata.NamespaceOrDefault || hostNs.StartsWith(r.Metadata.NamespaceOrDefault + "--", StringComparison.Ordinal)));
    }

    private static bool IsGrpcService(string host, long? port, IReadOnlyCollection<JsonObject> services, string clusterDomain)
    {
        if (MeshHosts.ServiceNamespace(host, clusterDomain) is not { } hostNs)
        {
            return false;
        }

        var name = host[..host.IndexOf('.', StringComparison.Ordinal)];
        var service = services.FirstOrDefault(s => ObjectId.Of(s) is var sid && sid.Name == name && sid.Namespace == hostNs);
        var ports = ((service?["spec"] as JsonObject)?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var candidates = port is { } wanted
            ? ports.Where(p => JsonNav.AsLong(p["port"]) == wanted)
            : ports;
        return candidates.Any(p => ObjectId.Text(p["name"]) is { } portName && (portName == "grpc" || portName.StartsWith("grpc-", StringComparison.Ordinal))
            || ObjectId.Text(p["appProtocol"]) == "grpc");
    }
}

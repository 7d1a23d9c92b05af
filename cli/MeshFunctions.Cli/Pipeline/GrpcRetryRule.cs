using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// Risky retries on gRPC routes (the seed's 默认重试问题): retrying <c>unavailable</c> or <c>cancelled</c> — which
/// Istio's default policy does twice when a route sets no <c>retries</c> — triples the traffic a failing service
/// receives. A host counts as gRPC when a Service of the set names a port <c>grpc</c>/<c>grpc-*</c> or sets
/// <c>appProtocol: grpc</c> (Istio's protocol selection); Routers contribute the Services they render.
/// </summary>
internal static class GrpcRetryRule
{
    public const string RiskyRetryCode = "MF0501";
    public const string DefaultRetryCode = "MF0502";

    public static IEnumerable<Diagnostic> Check(IReadOnlyList<AnalyzedObject> objects, string clusterDomain)
    {
        var grpcHosts = objects
            .Where(o => o.Key.Group.Length == 0 && o.Key.Kind == "Service" && IsGrpc(o.Object))
            .Select(o => $"{o.Key.Name}.{o.Key.Namespace}.svc.{clusterDomain}")
            .ToHashSet(StringComparer.Ordinal);
        if (grpcHosts.Count == 0)
        {
            yield break;
        }

        foreach (var vs in objects.Where(o => o.Key.Group == "networking.istio.io" && o.Key.Kind == "VirtualService"))
        {
            if (vs.Object["spec"]?["http"] is not JsonArray routes)
            {
                continue;
            }

            for (var i = 0; i < routes.Count; i++)
            {
                if (routes[i] is not JsonObject route)
                {
                    continue;
                }

                var host = GrpcDestination(route, vs.Key.Namespace, clusterDomain, grpcHosts);
                if (host is null)
                {
                    continue;
                }

                var path = $"spec.http[{i}]";
                if (route["retries"] is not JsonObject retries)
                {
                    yield return vs.Finding(Severity.Warning, path, $"routes to gRPC host {host} without 'retries': Istio's default retries connect-failure,refused-stream,unavailable,cancelled twice, tripling traffic during an outage; set an explicit policy such as retryOn connect-failure,refused-stream,reset", DefaultRetryCode);
                    continue;
                }

                var attempts = retries["attempts"] is JsonValue a && a.TryGetValue<long>(out var n) ? n : 2;
                var retryOn = (string?)retries["retryOn"] ?? string.Empty;
                var risky = retryOn.Split(',', StringSplitOptions.TrimEntries).Where(c => c is "unavailable" or "cancelled").ToList();
                if (attempts > 0 && risky.Count > 0)
                {
                    yield return vs.Finding(Severity.Warning, path + ".retries.retryOn", $"retries gRPC host {host} on '{string.Join(",", risky)}': a failing service then receives {attempts + 1}x its traffic; retry only connect-failure,refused-stream,reset", RiskyRetryCode);
                }
            }
        }
    }

    private static bool IsGrpc(JsonObject service)
    {
        if (service["spec"]?["ports"] is not JsonArray ports)
        {
            return false;
        }

        foreach (var port in ports.OfType<JsonObject>())
        {
            var name = (string?)port["name"] ?? string.Empty;
            var appProtocol = (string?)port["appProtocol"] ?? string.Empty;
            if (name == "grpc" || name.StartsWith("grpc-", StringComparison.Ordinal) || appProtocol == "grpc")
            {
                return true;
            }
        }

        return false;
    }

    private static string? GrpcDestination(JsonObject route, string ns, string clusterDomain, HashSet<string> grpcHosts)
    {
        if (route["route"] is not JsonArray destinations)
        {
            return null;
        }

        foreach (var d in destinations.OfType<JsonObject>())
        {
            if ((string?)d["destination"]?["host"] is { } host && Qualify(host, ns, clusterDomain) is var fqdn && grpcHosts.Contains(fqdn))
            {
                return fqdn;
            }
        }

        return null;
    }

    /// <summary>Expands short names the way Istio does for Kubernetes services (<c>svc</c> → <c>svc.ns.svc.cluster.local</c>).</summary>
    internal static string Qualify(string host, string ns, string clusterDomain)
    {
        var parts = host.Split('.');
        return parts.Length switch
        {
            1 => $"{host}.{ns}.svc.{clusterDomain}",
            2 => $"{host}.svc.{clusterDomain}",
            3 when parts[2] == "svc" => $"{host}.{clusterDomain}",
            _ => host,
        };
    }
}

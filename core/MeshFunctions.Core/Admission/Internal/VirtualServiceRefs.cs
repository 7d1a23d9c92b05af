using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>Every subset a VirtualService names (what Istio's IST0101 analyzer checks), with hosts resolved to FQDNs.</summary>
internal static class VirtualServiceRefs
{
    public static List<SubsetReference> Collect(JsonObject virtualService, string clusterDomain)
    {
        var ns = ObjectId.Of(virtualService).Namespace;
        var refs = new List<SubsetReference>();
        if (virtualService["spec"] is not JsonObject spec)
        {
            return refs;
        }

        foreach (var section in new[] { "http", "tcp", "tls" })
        {
            if (spec[section] is not JsonArray routes)
            {
                continue;
            }

            for (var i = 0; i < routes.Count; i++)
            {
                if (routes[i] is not JsonObject route)
                {
                    continue;
                }

                var at = $"spec.{section}[{i}]";
                AddList(route["route"] as JsonArray, $"{at}.route", ns, clusterDomain, refs);
                if (section == "http")
                {
                    Add(route["mirror"] as JsonObject, $"{at}.mirror", ns, clusterDomain, refs);
                    AddList(route["mirrors"] as JsonArray, $"{at}.mirrors", ns, clusterDomain, refs);
                }
            }
        }

        return refs;
    }

    private static void AddList(JsonArray? list, string path, string ns, string clusterDomain, List<SubsetReference> refs)
    {
        for (var j = 0; list is not null && j < list.Count; j++)
        {
            Add((list[j] as JsonObject)?["destination"] as JsonObject, $"{path}[{j}].destination", ns, clusterDomain, refs);
        }
    }

    private static void Add(JsonObject? destination, string path, string ns, string clusterDomain, List<SubsetReference> refs)
    {
        if (ObjectId.Text(destination?["host"]) is { Length: > 0 } host && ObjectId.Text(destination?["subset"]) is { Length: > 0 } subset)
        {
            refs.Add(new SubsetReference(MeshHosts.Resolve(host, ns, clusterDomain), subset, path));
        }
    }
}

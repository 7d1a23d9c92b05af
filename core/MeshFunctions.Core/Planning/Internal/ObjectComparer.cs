using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// Decides whether a live object already matches its desired form, ignoring what the API server writes: status,
/// server-set metadata, kubectl's last-applied annotation, and the Service spec fields the server defaults when the
/// desired object leaves them out (clusterIP, ipFamilies, sessionAffinity, type, …).
/// </summary>
internal static class ObjectComparer
{
    private static readonly string[] ServerMetadata =
        ["resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionGracePeriodSeconds"];

    private static readonly string[] ServiceDefaults =
        ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "sessionAffinity", "type", "internalTrafficPolicy"];

    private static readonly string[] ServicePortDefaults = ["protocol", "targetPort"];

    public static bool Same(JsonObject live, JsonObject desired) =>
        JsonNode.DeepEquals(Normalize(live, desired), Normalize(desired, desired));

    private static JsonObject Normalize(JsonObject obj, JsonObject desired)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerMetadata)
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        if (JsonRead.String(copy, "kind") == "Service" && copy["spec"] is JsonObject spec)
        {
            var desiredSpec = JsonRead.Object(desired, "spec");
            RemoveAbsent(spec, desiredSpec, ServiceDefaults);
            if (spec["ports"] is JsonArray ports)
            {
                var desiredPorts = JsonRead.Array(desiredSpec, "ports");
                for (var i = 0; i < ports.Count; i++)
                {
                    if (ports[i] is JsonObject port)
                    {
                        RemoveAbsent(port, desiredPorts is not null && i < desiredPorts.Count ? desiredPorts[i] as JsonObject : null, ServicePortDefaults);
                    }
                }
            }
        }

        return copy;
    }

    private static void RemoveAbsent(JsonObject obj, JsonObject? desired, string[] fields)
    {
        foreach (var field in fields)
        {
            if (desired is null || !desired.ContainsKey(field))
            {
                obj.Remove(field);
            }
        }
    }
}

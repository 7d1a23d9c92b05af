using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Planning;

/// <summary>Builds rendered states of one Router (svc in ns) for planner tests.</summary>
internal static class RouterStates
{
    public static Router Router(RouterProtocol protocol, Dictionary<string, int>? master, params string[] sandboxes) => new()
    {
        Metadata = new ObjectMeta { Name = "svc", Namespace = "ns", Uid = "uid-1" },
        Spec = new RouterSpec
        {
            Port = 8080,
            Protocol = protocol,
            Subsets = [new RouterSubset { Branch = "master", Versions = master }, .. sandboxes.Select(b => new RouterSubset { Branch = b })],
        },
    };

    public static List<JsonObject> RenderRouter(Router router) => RouterRenderer.Render(router).All.ToList();

    public static List<JsonObject> Render(Dictionary<string, int>? master, params string[] sandboxes) =>
        RenderRouter(Router(RouterProtocol.Http, master, sandboxes));

    /// <summary>What reading the objects back from a cluster adds: server metadata, status, Service defaults.</summary>
    public static List<JsonObject> AsReadBack(IEnumerable<JsonObject> objects)
    {
        var list = new List<JsonObject>();
        var n = 0;
        foreach (var obj in objects)
        {
            var copy = (JsonObject)obj.DeepClone();
            var metadata = copy["metadata"]!.AsObject();
            metadata["resourceVersion"] = (++n * 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["uid"] = $"00000000-0000-4000-8000-{n:D12}";
            metadata["generation"] = 3;
            metadata["creationTimestamp"] = "2026-11-25T10:00:00Z";
            metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "meshfunctions" });
            metadata["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" };
            if ((string?)copy["kind"] == "Service")
            {
                var spec = copy["spec"]!.AsObject();
                spec["clusterIP"] = "10.0.0." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                spec["clusterIPs"] = new JsonArray((string?)spec["clusterIP"]);
                spec["type"] = "ClusterIP";
                spec["sessionAffinity"] = "None";
                spec["ipFamilies"] = new JsonArray("IPv4");
                spec["ipFamilyPolicy"] = "SingleStack";
                spec["internalTrafficPolicy"] = "Cluster";
                copy["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
            }
            else
            {
                copy["status"] = new JsonObject { ["observedGeneration"] = 3 };
            }

            list.Add(copy);
        }

        return list;
    }

    /// <summary>Adds an IstioFilter-style mirror of the master route to <paramref name="subset"/> of the master host.</summary>
    public static List<JsonObject> WithMasterMirror(List<JsonObject> objects, string subset, bool asMirrors = false)
    {
        var result = objects.Select(o => (JsonObject)o.DeepClone()).ToList();
        var vs = result.Single(o => (string?)o["kind"] == "VirtualService");
        var routes = (vs["spec"]!["http"] ?? vs["spec"]!["tcp"])!.AsArray();
        var master = routes[^1]!.AsObject();
        var destination = new JsonObject { ["host"] = "svc--master", ["subset"] = subset };
        if (asMirrors)
        {
            master["mirrors"] = new JsonArray(new JsonObject { ["destination"] = destination, ["percentage"] = new JsonObject { ["value"] = 5.0 } });
        }
        else
        {
            master["mirror"] = destination;
        }

        return result;
    }
}

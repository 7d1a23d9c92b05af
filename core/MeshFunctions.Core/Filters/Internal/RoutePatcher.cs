using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>Writes a plan's route features onto the selected <c>http[]</c> routes of the VirtualService (object id 0).</summary>
internal static class RoutePatcher
{
    public static void Apply(FilterPlan plan, RouterTopology topology, PatchSession session)
    {
        var label = topology.VirtualServiceLabel;
        foreach (var r in plan.Routes)
        {
            var route = topology.Routes[r];
            var path = topology.RoutePaths[r];
            SetIf(session, route, "retries", plan.Retries, label, path);
            SetIf(session, route, "timeout", plan.Timeout, label, path);
            SetIf(session, route, "corsPolicy", plan.CorsPolicy, label, path);
            if (plan.FaultDelay is not null || plan.FaultAbort is not null)
            {
                var fault = JsonTree.Ensure(route, "fault");
                SetIf(session, fault, "delay", plan.FaultDelay, label, path + ".fault");
                SetIf(session, fault, "abort", plan.FaultAbort, label, path + ".fault");
            }

            if (plan.Mirror is not null)
            {
                session.Set(route, "mirror", plan.Mirror.DeepClone(), 0, label, path + ".mirror");
                session.Set(route, "mirrorPercentage", plan.MirrorPercentage?.DeepClone(), 0, label, path + ".mirrorPercentage");
            }

            if (plan.Filter.Spec.Headers is { } headers)
            {
                ApplyHeaders(session, route, "request", headers.Request, label, path);
                ApplyHeaders(session, route, "response", headers.Response, label, path);
            }
        }
    }

    private static void SetIf(PatchSession session, JsonObject parent, string property, JsonNode? value, string label, string path)
    {
        if (value is not null)
        {
            session.Set(parent, property, value.DeepClone(), 0, label, path + "." + property);
        }
    }

    private static void ApplyHeaders(PatchSession session, JsonObject route, string direction, FilterHeaderOperations? ops, string label, string routePath)
    {
        if (ops is null)
        {
            return;
        }

        var target = JsonTree.Ensure(JsonTree.Ensure(route, "headers"), direction);
        var path = routePath + ".headers." + direction;
        foreach (var (op, map) in new[] { ("set", ops.Set), ("add", ops.Add) })
        {
            if (map is not { Count: > 0 })
            {
                continue;
            }

            var obj = JsonTree.Ensure(target, op);
            foreach (var (name, value) in map)
            {
                session.Set(obj, name, JsonValue.Create(value), 0, label, JsonPath.Property(path + "." + op, name));
            }
        }

        if (ops.Remove is { Count: > 0 } remove)
        {
            var list = JsonTree.EnsureArray(target, "remove");
            foreach (var name in remove)
            {
                // Removing is idempotent: two filters removing the same header agree, so no conflict.
                session.Record(0, label, JsonPath.Property(path + ".remove", name), JsonValue.Create(true));
                if (!list.Any(n => (string?)n == name))
                {
                    list.Add(JsonValue.Create(name));
                }
            }
        }
    }
}

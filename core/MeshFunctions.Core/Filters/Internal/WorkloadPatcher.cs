using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// Renders a plan's workload features into objects per selected branch (in the branch's namespace).
/// Authorization policies combine in Istio, so every filter keeps its own; a branch can have only one local
/// rate limit, access-log setting and Host passthrough, so those are owned fields (object id -1): the later
/// filter's object replaces the earlier one's.
/// </summary>
internal static class WorkloadPatcher
{
    private const int WorkloadObjectId = -1;

    public static void Apply(FilterPlan plan, RouterTopology topology, PatchSession session, Dictionary<string, JsonObject> extras)
    {
        var filter = plan.Filter;
        var spec = filter.Spec;
        var router = topology.Router;
        foreach (var branch in plan.Branches)
        {
            var ns = topology.NamespaceOf(branch);
            var label = $"Router {topology.Namespace}/{router.Metadata.Name} branch '{branch}'";
            if (spec.Authorization is { } authz)
            {
                var obj = ExtraObjects.Create(Security.ApiVersion, Security.Kind, filter, topology, "authz", ns, Security.Authorization(authz, topology.WorkloadLabels(branch)));
                extras["authz|" + ns + "|" + filter.Metadata.Name] = obj;
            }

            if (spec.Blacklist is { } blacklist)
            {
                var obj = ExtraObjects.Create(Security.ApiVersion, Security.Kind, filter, topology, "blacklist", ns, Security.Blacklist(blacklist, topology.WorkloadLabels(branch)));
                extras["blacklist|" + ns + "|" + filter.Metadata.Name] = obj;
            }

            if (spec.LocalRateLimit is { } limit)
            {
                Exclusive(session, extras, label, branch, "localRateLimit", ExtraObjects.Create(
                    EnvoyFilters.ApiVersion, EnvoyFilters.Kind, filter, topology, "locallimit", ns, EnvoyFilters.LocalRateLimit(limit, topology.WorkloadLabels(branch))));
            }

            if (spec.AccessLog is { } log)
            {
                Exclusive(session, extras, label, branch, "accessLog", ExtraObjects.Create(
                    "telemetry.istio.io/v1", "Telemetry", filter, topology, "accesslog", ns, AccessLogSpec(log, topology.WorkloadLabels(branch))));
            }

            if (spec.HostPassthrough is { } passthrough)
            {
                Exclusive(session, extras, label, branch, "hostPassthrough", ExtraObjects.Create(
                    EnvoyFilters.ApiVersion, EnvoyFilters.Kind, filter, topology, "host-in", ns, EnvoyFilters.HostInbound(passthrough, topology.WorkloadLabels(branch))));
            }
        }

        if (spec.HostPassthrough is { } callers && plan.Branches.Count > 0)
        {
            var obj = ExtraObjects.Create(EnvoyFilters.ApiVersion, EnvoyFilters.Kind, filter, topology, "host-out", topology.Namespace, EnvoyFilters.HostOutbound(callers, topology));
            session.Record(WorkloadObjectId, $"Router {topology.Namespace}/{router.Metadata.Name} callers", "hostPassthrough.outbound", obj["spec"]);
            extras["hostPassthrough|outbound"] = obj;
        }
    }

    private static void Exclusive(PatchSession session, Dictionary<string, JsonObject> extras, string label, string branch, string feature, JsonObject obj)
    {
        session.Record(WorkloadObjectId, label, "workloads[" + branch + "]." + feature, obj["spec"]);
        extras[feature + "|" + branch] = obj;
    }

    private static JsonObject AccessLogSpec(FilterAccessLog log, JsonObject workloadLabels)
    {
        var entry = new JsonObject();
        if (log.Providers is { Count: > 0 } providers)
        {
            var list = new JsonArray();
            foreach (var p in providers)
            {
                list.Add(new JsonObject { ["name"] = p });
            }

            entry["providers"] = list;
        }

        entry["disabled"] = log.Enabled != true;
        return new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = workloadLabels },
            ["accessLogging"] = new JsonArray(entry),
        };
    }
}

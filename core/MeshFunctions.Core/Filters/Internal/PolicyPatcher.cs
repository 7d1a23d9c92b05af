using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// Writes a plan's traffic-policy blocks onto the selected DestinationRules (object id 1 + index).
/// <c>connectionPool.tcp</c>, <c>connectionPool.http</c>, <c>outlierDetection</c> and <c>loadBalancer</c>
/// are each replaced whole, so one filter's block never mixes with another's.
/// </summary>
internal static class PolicyPatcher
{
    public static void Apply(FilterPlan plan, RouterTopology topology, PatchSession session)
    {
        foreach (var d in plan.DestinationRules)
        {
            var dr = topology.DestinationRules[d];
            var label = topology.DestinationRuleLabels[d];
            var policy = JsonTree.Ensure(JsonTree.Ensure(dr, "spec"), "trafficPolicy");
            if (plan.Tcp is not null || plan.Http is not null)
            {
                var pool = JsonTree.Ensure(policy, "connectionPool");
                SetIf(session, pool, "tcp", plan.Tcp, 1 + d, label, "spec.trafficPolicy.connectionPool.tcp");
                SetIf(session, pool, "http", plan.Http, 1 + d, label, "spec.trafficPolicy.connectionPool.http");
            }

            SetIf(session, policy, "outlierDetection", plan.OutlierDetection, 1 + d, label, "spec.trafficPolicy.outlierDetection");
            SetIf(session, policy, "loadBalancer", plan.LoadBalancer, 1 + d, label, "spec.trafficPolicy.loadBalancer");
        }
    }

    private static void SetIf(PatchSession session, JsonObject parent, string property, JsonNode? value, int objectId, string label, string path)
    {
        if (value is not null)
        {
            session.Set(parent, property, value.DeepClone(), objectId, label, path);
        }
    }
}

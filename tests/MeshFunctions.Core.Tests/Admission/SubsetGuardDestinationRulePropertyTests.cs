using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Tests.Admission.Oracle;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// A DestinationRule UPDATE/DELETE decided through the shared indexes (only the VirtualServices routing to a host the rule
/// can serve are looked at, and the changed rule set is derived from the live index) gives the same decision, message for
/// message, as the full scan it replaced (<see cref="FullScanDestinationRuleCheck"/>): random rule sets with exact, short
/// and wildcard hosts, <c>exportTo</c>, rules in the client, service and root namespaces, and updates that change the host.
/// </summary>
public sealed class SubsetGuardDestinationRulePropertyTests
{
    private static readonly string[] Namespaces = ["a", "b", "istio-system"];
    private static readonly string[] Subsets = ["v1", "v2", "v3"];
    private static readonly string[] RuleHosts = ["web", "web.a.svc.cluster.local", "web.b.svc.cluster.local", "api", "api.example.com", "*.a.svc.cluster.local", "*.svc.cluster.local", "*"];
    private static readonly string[] RouteHosts = ["web", "web.a.svc.cluster.local", "web.b.svc.cluster.local", "api", "api.b.svc.cluster.local", "api.example.com"];
    private static readonly string[][] ExportTo = [[], ["*"], ["."], ["a"], ["b", "istio-system"], ["~"]];

    [Fact]
    public void CheckDestinationRule_RandomLiveState_SameDecisionAsFullScan()
    {
        var denied = 0;
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var rules = Enumerable.Range(0, random.Next(1, 8)).Select(i => Rule(random, "dr" + random.Next(5), i)).ToList();
            var services = Enumerable.Range(0, random.Next(0, 8)).Select(i => VirtualService(random, i)).ToList();
            // The old rule is usually a live one (sometimes a stale copy with other content), the new one keeps its name.
            var old = random.Next(4) == 0 ? Rule(random, (string)rules[0]["metadata"]!["name"]!, -1, (string)rules[0]["metadata"]!["namespace"]!) : rules[random.Next(rules.Count)];
            var meta = old["metadata"]!;
            JsonObject? now = random.Next(3) == 0 ? null : Rule(random, (string)meta["name"]!, -1, (string)meta["namespace"]!);

            var expected = FullScanDestinationRuleCheck.Check(old, now, services, rules);
            var viaIndexes = SubsetGuard.CheckDestinationRule(old, now, new VirtualServiceUseIndex(services, "cluster.local"), new DestinationRuleIndex(rules, "cluster.local", "istio-system"));
            var viaCheck = SubsetGuard.Check(now is null ? AdmissionOperation.Delete : AdmissionOperation.Update, old, now, services, rules);

            Assert.True(expected.Allowed == viaIndexes.Allowed && expected.Message == viaIndexes.Message, $"seed {seed}: '{expected.Message}' vs '{viaIndexes.Message}'");
            Assert.True(expected.Allowed == viaCheck.Allowed && expected.Message == viaCheck.Message, $"seed {seed}: '{expected.Message}' vs '{viaCheck.Message}'");
            denied += expected.Allowed ? 0 : 1;
        }

        // Both answers occur often.
        Assert.InRange(denied, 300, 2700);
    }

    private static JsonObject Rule(Random random, string name, int i, string? ns = null)
    {
        var spec = new JsonObject
        {
            ["host"] = random.Next(25) == 0 ? null : RuleHosts[random.Next(RuleHosts.Length)],
            ["subsets"] = new JsonArray(Subsets.Where(_ => random.Next(3) > 0).Select(s => (JsonNode?)new JsonObject { ["name"] = s }).ToArray()),
        };
        if (random.Next(3) == 0)
        {
            spec["exportTo"] = new JsonArray(ExportTo[random.Next(ExportTo.Length)].Select(e => (JsonNode?)e).ToArray());
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "DestinationRule",
            ["metadata"] = new JsonObject { ["name"] = i < 0 ? name : name + "-" + i % 2, ["namespace"] = ns ?? Namespaces[random.Next(Namespaces.Length)] },
            ["spec"] = spec,
        };
    }

    private static JsonObject VirtualService(Random random, int i) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "VirtualService",
        ["metadata"] = new JsonObject { ["name"] = "vs" + i, ["namespace"] = Namespaces[random.Next(2)] },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray("web"),
            ["http"] = new JsonArray(Enumerable.Range(0, random.Next(1, 3)).Select(_ => (JsonNode?)new JsonObject
            {
                ["route"] = new JsonArray(Enumerable.Range(0, random.Next(1, 4)).Select(_ => (JsonNode?)new JsonObject
                {
                    ["destination"] = new JsonObject { ["host"] = RouteHosts[random.Next(RouteHosts.Length)], ["subset"] = Subsets[random.Next(Subsets.Length)] },
                }).ToArray()),
            }).ToArray()),
        },
    };
}

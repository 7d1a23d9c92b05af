using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// One engine: the offline check (<see cref="SubsetReferences.FindMissing"/>, used by <c>meshctl check</c>) and the
/// admission guard (<see cref="SubsetGuard"/>, used by the webhook) find the same missing subsets on the same random
/// object sets — namespaces, short/long/wildcard hosts, the root namespace and <c>exportTo</c> included.
/// </summary>
public sealed class OneEnginePropertyTests
{
    private static readonly string[] Namespaces = ["a", "b", "istio-system"];
    private static readonly string[] Subsets = ["v1", "v2", "v3"];

    [Fact]
    public void FindMissingAndSubsetGuard_RandomSets_SameMissingSubsets()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var rules = Enumerable.Range(0, random.Next(0, 6)).Select(i => Rule(random, i)).ToList();
            var services = Enumerable.Range(0, random.Next(1, 4)).Select(i => VirtualService(random, i)).ToList();
            var offline = SubsetReferences.FindMissing([.. services, .. rules]);

            foreach (var vs in services)
            {
                var missing = offline.Where(v => $"{v.Reference.VirtualServiceNamespace}/{v.Reference.VirtualServiceName}" == Key(vs)).ToList();
                var decision = SubsetGuard.Check(AdmissionOperation.Create, null, vs, [], rules);

                Assert.True(decision.Allowed == (missing.Count == 0), $"seed {seed} {Key(vs)}: admission '{decision.Message}' vs offline {missing.Count}");
                var problems = decision.Message?.Split("; ").Select(p => p[p.IndexOf("host ", StringComparison.Ordinal)..]).ToList() ?? [];
                var deniedHosts = problems.Select(p => p.Split(' ', ':')[1]).ToHashSet(StringComparer.Ordinal);
                Assert.True(deniedHosts.SetEquals(missing.Select(v => v.Reference.Host)), $"seed {seed}: hosts {string.Join(",", deniedHosts)} vs {string.Join(",", missing.Select(v => v.Reference.Host))}");
                foreach (var v in missing)
                {
                    var problem = problems.Single(p => p.Split(' ', ':')[1] == v.Reference.Host);
                    var listed = problem[(problem.IndexOf("subset(s) ", StringComparison.Ordinal) + 10)..].Split(' ')[0..4];
                    Assert.True(listed.Any(t => t.TrimEnd(',', '.') == v.Reference.Subset), $"seed {seed}: {v.Reference.Subset} not named in '{problem}'");
                }
            }
        }
    }

    private static string Key(JsonObject vs) => $"{vs["metadata"]!["namespace"]}/{vs["metadata"]!["name"]}";

    private static string Host(Random random) => random.Next(5) switch
    {
        0 => "web",
        1 => "web.a.svc.cluster.local",
        2 => "web.b.svc.cluster.local",
        3 => "api.example.com",
        _ => "db",
    };

    private static JsonObject Rule(Random random, int i)
    {
        var host = random.Next(6) == 0 ? "*.a.svc.cluster.local" : Host(random);
        var spec = new JsonObject
        {
            ["host"] = host,
            ["subsets"] = new JsonArray(Subsets.Where(_ => random.Next(2) == 0).Select(s => (JsonNode?)new JsonObject { ["name"] = s }).ToArray()),
        };
        if (random.Next(4) == 0)
        {
            spec["exportTo"] = new JsonArray(random.Next(2) == 0 ? "." : Namespaces[random.Next(Namespaces.Length)]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "DestinationRule",
            ["metadata"] = new JsonObject { ["name"] = "dr" + i, ["namespace"] = Namespaces[random.Next(Namespaces.Length)] },
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
            ["http"] = new JsonArray(Enumerable.Range(0, random.Next(1, 3)).Select(_ => (JsonNode?)new JsonObject
            {
                ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = Host(random), ["subset"] = Subsets[random.Next(Subsets.Length)] } }),
            }).ToArray()),
        },
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// The subset guard read straight from a parsed document (the webhook's path) and from a node tree (meshctl's path) is one
/// rule: on random VirtualServices of every shape the walk meets (http/tcp/tls routes, mirror, mirrors, short and wildcard
/// hosts, members of the wrong type, nulls, missing parts) both give the same references and the same decision.
/// </summary>
public sealed class SubsetGuardDocumentPropertyTests
{
    private static readonly string[] Namespaces = ["a", "b", "istio-system"];
    private static readonly string[] Subsets = ["v1", "v2", "v3"];
    private static readonly string[] Hosts = ["web", "web.a.svc.cluster.local", "web.b.svc.cluster.local", "api.example.com", "*.a.svc.cluster.local", "db"];

    [Fact]
    public void CheckVirtualService_DocumentAndNodeTree_SameReferencesAndDecision()
    {
        var denied = 0;
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var rules = Enumerable.Range(0, random.Next(0, 6)).Select(i => Rule(random, i)).ToList();
            var index = new DestinationRuleIndex(rules, "cluster.local", "istio-system");
            var vs = VirtualService(random);
            var element = JsonSerializer.SerializeToElement(vs);

            var fromNodes = SubsetReferences.Collect(vs);
            var fromDocument = SubsetReferences.Collect(element);
            Assert.True(fromNodes.SequenceEqual(fromDocument), $"seed {seed}: {vs.ToJsonString()}");

            var byNodes = SubsetGuard.CheckVirtualService(vs, index);
            var byDocument = SubsetGuard.CheckVirtualService(element, index);
            var byCheck = SubsetGuard.Check(AdmissionOperation.Create, null, vs, [], rules);
            Assert.True(byNodes.Allowed == byDocument.Allowed && byNodes.Message == byDocument.Message, $"seed {seed}: '{byNodes.Message}' vs '{byDocument.Message}'");
            Assert.True(byCheck.Allowed == byDocument.Allowed && byCheck.Message == byDocument.Message, $"seed {seed}: '{byCheck.Message}' vs '{byDocument.Message}'");
            denied += byDocument.Allowed ? 0 : 1;
        }

        // Both answers occur often.
        Assert.InRange(denied, 200, 1800);
    }

    private static JsonObject Rule(Random random, int i) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "DestinationRule",
        ["metadata"] = new JsonObject { ["name"] = "dr" + i, ["namespace"] = Namespaces[random.Next(Namespaces.Length)] },
        ["spec"] = new JsonObject
        {
            ["host"] = Hosts[random.Next(Hosts.Length)],
            ["subsets"] = new JsonArray(Subsets.Where(_ => random.Next(2) == 0).Select(s => (JsonNode?)new JsonObject { ["name"] = s }).ToArray()),
        },
    };

    private static JsonObject VirtualService(Random random)
    {
        var spec = new JsonObject();
        foreach (var kind in new[] { "http", "tcp", "tls" })
        {
            if (random.Next(3) > 0)
            {
                spec[kind] = random.Next(12) == 0 ? Odd(random) : new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Route(random)).ToArray());
            }
        }

        var vs = new JsonObject
        {
            ["apiVersion"] = random.Next(20) == 0 ? "networking.istio.io/v1beta1" : "networking.istio.io/v1",
            ["kind"] = random.Next(30) == 0 ? "DestinationRule" : "VirtualService",
            ["metadata"] = random.Next(20) == 0 ? Odd(random) : new JsonObject { ["name"] = "vs", ["namespace"] = random.Next(10) == 0 ? null : Namespaces[random.Next(2)] },
            ["spec"] = random.Next(25) == 0 ? Odd(random) : spec,
        };
        return vs;
    }

    private static JsonNode? Route(Random random)
    {
        if (random.Next(15) == 0)
        {
            return Odd(random);
        }

        var route = new JsonObject
        {
            ["route"] = new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => (JsonNode?)new JsonObject { ["destination"] = Destination(random), ["weight"] = 50 }).ToArray()),
        };
        if (random.Next(4) == 0)
        {
            route["mirror"] = Destination(random);
        }

        if (random.Next(4) == 0)
        {
            route["mirrors"] = new JsonArray(Enumerable.Range(0, random.Next(0, 3)).Select(_ => (JsonNode?)new JsonObject { ["destination"] = Destination(random) }).ToArray());
        }

        return route;
    }

    private static JsonNode? Destination(Random random) => random.Next(12) switch
    {
        0 => Odd(random),
        1 => new JsonObject { ["host"] = Hosts[random.Next(Hosts.Length)] },
        2 => new JsonObject { ["host"] = Odd(random), ["subset"] = Subsets[random.Next(Subsets.Length)] },
        3 => new JsonObject { ["host"] = Hosts[random.Next(Hosts.Length)], ["subset"] = random.Next(2) == 0 ? string.Empty : Odd(random) },
        _ => new JsonObject { ["host"] = Hosts[random.Next(Hosts.Length)], ["subset"] = Subsets[random.Next(Subsets.Length)] },
    };

    /// <summary>A value of the wrong type for wherever it lands.</summary>
    private static JsonNode? Odd(Random random) => random.Next(5) switch
    {
        0 => null,
        1 => 42,
        2 => "text",
        3 => new JsonArray("x"),
        _ => new JsonObject { ["unexpected"] = true },
    };
}

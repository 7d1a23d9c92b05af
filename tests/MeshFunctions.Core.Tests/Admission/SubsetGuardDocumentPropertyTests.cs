using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// The subset guard read in one pass straight from a VirtualService's UTF-8 bytes (the webhook's path) and from a node tree
/// (meshctl's path) is one rule: on random VirtualServices of every shape the walk meets (http/tcp/tls routes, mirror,
/// mirrors, short and wildcard hosts, members of the wrong type, nulls, missing parts, members in any order) both give the
/// same references and the same decision.
/// </summary>
public sealed class SubsetGuardDocumentPropertyTests
{
    private static readonly string[] Namespaces = ["a", "b", "istio-system"];
    private static readonly string[] Subsets = ["v1", "v2", "v3"];
    private static readonly string[] Hosts = ["web", "web.a.svc.cluster.local", "web.b.svc.cluster.local", "api.example.com", "*.a.svc.cluster.local", "db"];

    [Fact]
    public void CheckVirtualService_BytesAndNodeTree_SameReferencesAndDecision()
    {
        var denied = 0;
        var reordered = 0;
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var rules = Enumerable.Range(0, random.Next(0, 6)).Select(i => Rule(random, i)).ToList();
            var index = new DestinationRuleIndex(rules, "cluster.local", "istio-system");
            var vs = VirtualService(random);
            // Half the objects with every object's members shuffled (tcp before http, mirror before route, spec first...).
            var utf8 = Encoding.UTF8.GetBytes((random.Next(2) == 0 ? Shuffled(vs, random)! : vs).ToJsonString());

            var fromNodes = SubsetReferences.Collect(vs);
            var fromBytes = SubsetReferences.Collect(utf8);
            Assert.True(fromNodes.SequenceEqual(fromBytes), $"seed {seed}: {Encoding.UTF8.GetString(utf8)}");
            reordered += fromNodes.Count > 1 && !fromNodes.SequenceEqual(SubsetReferences.Collect(Encoding.UTF8.GetBytes(Shuffled(vs, random)!.ToJsonString()))) ? 1 : 0;

            var byNodes = SubsetGuard.CheckVirtualService(vs, index);
            var byCheck = SubsetGuard.Check(AdmissionOperation.Create, null, vs, [], rules);
            var hasKind = vs["kind"] is not null && vs["apiVersion"] is not null;
            Assert.Equal(hasKind, SubsetGuard.TryCheckVirtualService(utf8, index, out var byBytes));
            if (!hasKind)
            {
                continue;
            }

            Assert.True(byNodes.Allowed == byBytes!.Allowed && byNodes.Message == byBytes.Message, $"seed {seed}: '{byNodes.Message}' vs '{byBytes.Message}'");
            Assert.True(byCheck.Allowed == byBytes.Allowed && byCheck.Message == byBytes.Message, $"seed {seed}: '{byCheck.Message}' vs '{byBytes.Message}'");
            denied += byBytes.Allowed ? 0 : 1;
        }

        // Both answers occur often, and shuffled members never change the references (the walk sorts them to field order).
        Assert.InRange(denied, 300, 2700);
        Assert.Equal(0, reordered);
    }

    [Fact]
    public void TryCheckVirtualService_NoKindOrApiVersion_NoDecision()
    {
        var index = new DestinationRuleIndex([], "cluster.local", "istio-system");
        Assert.False(SubsetGuard.TryCheckVirtualService("""{"apiVersion":"networking.istio.io/v1","kind":null,"spec":{}}"""u8, index, out _));
        Assert.False(SubsetGuard.TryCheckVirtualService("""{"kind":"VirtualService","spec":{}}"""u8, index, out _));
        Assert.True(SubsetGuard.TryCheckVirtualService("""{"apiVersion":1,"kind":"VirtualService","spec":{}}"""u8, index, out var other));
        Assert.True(other.Allowed);
    }

    [Fact]
    public void TryCheckVirtualService_MissingSubset_DeniedNamingIt()
    {
        var index = new DestinationRuleIndex([Rule(new Random(1), 0)], "cluster.local", "istio-system");
        var utf8 = """
            {"spec":{"tcp":[{"route":[{"destination":{"host":"web","subset":"v9"}}]}],"http":[{"mirror":{"subset":"v8","host":"web"},"route":[]}]},
             "metadata":{"namespace":"a","name":"vs"},"kind":"VirtualService","apiVersion":"networking.istio.io/v1"}
            """u8;
        Assert.True(SubsetGuard.TryCheckVirtualService(utf8, index, out var decision));
        Assert.False(decision.Allowed);
        Assert.Contains("subset(s) v8, v9", decision.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "spec.http[0].mirror.subset", "spec.tcp[0].route[0].destination.subset" }, SubsetReferences.Collect(utf8).Select(r => r.Path));
    }

    /// <summary>A deep copy with the members of every object in a random order.</summary>
    private static JsonNode? Shuffled(JsonNode? node, Random random) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(_ => random.Next()).Select(p => KeyValuePair.Create(p.Key, Shuffled(p.Value, random))).ToList()),
        JsonArray array => new JsonArray(array.Select(item => Shuffled(item, random)).ToArray()),
        _ => node?.DeepClone(),
    };

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

using System.Text.Json.Nodes;
using CsCheck;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class SubsetGuardPropertyTests
{
    private static readonly string[] Versions = ["v1", "v2", "v3", "v4"];

    // A step: 0 = update the VirtualService, 1 = update the DestinationRule, 2 = delete the DR, 3 = create the DR.
    private static readonly Gen<(int Kind, string[] Subsets)> Step = Gen.Select(Gen.Int[0, 3], Gen.OneOf<string>(Versions).Array[0, 3]);

    [Fact]
    public void Check_RandomChangeSequences_EverySubsetInUseStaysDefined()
    {
        Step.Array[1, 12].Sample(steps =>
        {
            JsonObject? dr = Dr(["v1"]);
            var vs = Vs(["v1"]);
            foreach (var (kind, subsets) in steps)
            {
                var live = dr is null ? Array.Empty<JsonObject>() : [dr];
                switch (kind)
                {
                    case 0:
                        var newVs = Vs(subsets);
                        if (SubsetGuard.Check(AdmissionOperation.Update, vs, newVs, [vs], live).Allowed)
                        {
                            vs = newVs;
                        }

                        break;
                    case 1 when dr is not null:
                        var newDr = Dr(subsets);
                        if (SubsetGuard.Check(AdmissionOperation.Update, dr, newDr, [vs], live).Allowed)
                        {
                            dr = newDr;
                        }

                        break;
                    case 2 when dr is not null:
                        if (SubsetGuard.Check(AdmissionOperation.Delete, dr, null, [vs], live).Allowed)
                        {
                            dr = null;
                        }

                        break;
                    case 3 when dr is null:
                        var created = Dr(subsets);
                        Assert.True(SubsetGuard.Check(AdmissionOperation.Create, null, created, [vs], live).Allowed);
                        dr = created;
                        break;
                }

                var defined = dr is null ? [] : Names(dr["spec"]!["subsets"]!, "name");
                var used = Names(vs["spec"]!["http"]![0]!["route"]!, "subset");
                Assert.True(used.IsSubsetOf(defined), $"VS uses [{string.Join(",", used)}], DR defines [{string.Join(",", defined)}]");
            }
        }, iter: 2000);
    }

    private static HashSet<string> Names(JsonNode list, string field) =>
        ((JsonArray)list).Select(n => (string)(field == "subset" ? n!["destination"]!["subset"] : n![field])!).ToHashSet();

    private static JsonObject Vs(string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "VirtualService",
        ["metadata"] = new JsonObject { ["name"] = "reviews", ["namespace"] = "prod" },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray("reviews"),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonArray(subsets.Distinct().Select(s => (JsonNode?)new JsonObject
                {
                    ["destination"] = new JsonObject { ["host"] = "reviews", ["subset"] = s },
                }).ToArray()),
            }),
        },
    };

    private static JsonObject Dr(string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "DestinationRule",
        ["metadata"] = new JsonObject { ["name"] = "reviews", ["namespace"] = "prod" },
        ["spec"] = new JsonObject
        {
            ["host"] = "reviews.prod.svc.cluster.local",
            ["subsets"] = new JsonArray(subsets.Distinct().Select(s => (JsonNode?)new JsonObject { ["name"] = s }).ToArray()),
        },
    };
}

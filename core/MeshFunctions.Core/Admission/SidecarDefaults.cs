using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// The namespace-wide Sidecar every namespace gets, so that proxies receive only their own namespace's and
/// istio-system's configuration instead of the whole cluster's.
/// </summary>
public static class SidecarDefaults
{
    /// <summary>The name Istio expects for the single selector-less Sidecar of a namespace.</summary>
    public const string Name = "default";

    /// <summary>The hosts every default Sidecar imports.</summary>
    public static IReadOnlyList<string> BaseHosts { get; } = ["./*", "istio-system/*"];

    /// <summary>
    /// A <c>networking.istio.io/v1</c> Sidecar named <c>default</c> in <paramref name="ns"/>, without a workloadSelector,
    /// egress <c>./*</c> and <c>istio-system/*</c>, labelled <c>app.kubernetes.io/managed-by: meshfunctions</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ns"/> is not a namespace name.</exception>
    public static JsonObject DefaultSidecar(string ns)
    {
        if (!Names.IsDns1123Label(ns))
        {
            throw new ArgumentException($"namespace '{ns}' is not a valid namespace name (DNS-1123 label)", nameof(ns));
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "Sidecar",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [IstioNames.ManagedByLabel] = IstioNames.ManagedByValue },
            },
            ["spec"] = new JsonObject
            {
                ["egress"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray(BaseHosts.Select(h => (JsonNode?)h).ToArray()) }),
            },
        };
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Sidecars;

/// <summary>
/// The workload-scoped Sidecar that carries one workload's learned egress hosts (dependency events, the RLS host of a
/// rate-limited workload). A workload Sidecar replaces the namespace's default one for the pods it selects, so it
/// starts from the same base hosts (<see cref="SidecarDefaults.BaseHosts"/>).
/// </summary>
public static class WorkloadSidecar
{
    /// <summary>Default bound on the egress hosts of one workload Sidecar (see <see cref="Bound"/>).</summary>
    public const int DefaultMaxHosts = 200;

    /// <summary><c>&lt;workload&gt;-egress</c>: never <c>default</c>, the name of the namespace-wide Sidecar.</summary>
    public static string NameFor(string workload) => workload + "-egress";

    /// <summary>A new workload Sidecar selecting pods whose <paramref name="appLabel"/> is <paramref name="workload"/>.</summary>
    /// <exception cref="ArgumentException">The namespace or workload is not a valid name.</exception>
    public static JsonObject Create(string ns, string workload, string appLabel = "app")
    {
        if (!Names.IsDns1123Label(ns))
        {
            throw new ArgumentException($"namespace '{ns}' is not a valid namespace name (DNS-1123 label)", nameof(ns));
        }

        if (!Names.IsLabelValue(workload) || workload.Length == 0 || !Names.IsDns1123Subdomain(NameFor(workload)))
        {
            throw new ArgumentException($"workload '{workload}' is not a valid app label value for a Sidecar name", nameof(workload));
        }

        var sidecar = SidecarDefaults.DefaultSidecar(ns);
        sidecar["metadata"]!["name"] = NameFor(workload);
        sidecar["spec"]!["workloadSelector"] = new JsonObject { ["labels"] = new JsonObject { [appLabel] = workload } };
        return sidecar;
    }

    /// <summary>
    /// Keeps the port-less egress listener of <paramref name="sidecar"/> (changed in place) at most <paramref name="maxHosts"/>
    /// entries: past the bound, exact hosts collapse to their namespace (<c>ns/*</c>), and if that is still too many,
    /// to <c>*/*</c>. Coarser imports cost proxy memory, never reachability. Returns true when it changed anything.
    /// </summary>
    public static bool Bound(JsonObject sidecar, int maxHosts)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHosts, 1);
        var listener = (sidecar["spec"]?["egress"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => e["port"] is null);
        if (listener?["hosts"] is not JsonArray hosts || hosts.Count <= maxHosts)
        {
            return false;
        }

        var collapsed = hosts
            .Select(h => (string?)h)
            .OfType<string>()
            .Select(h => h.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 && !h.StartsWith('~') ? h[..slash] + "/*" : h)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (collapsed.Count > maxHosts)
        {
            collapsed = ["*/*"];
        }

        listener["hosts"] = new JsonArray(collapsed.Select(h => (JsonNode?)h).ToArray());
        return true;
    }
}

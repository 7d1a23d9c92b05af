using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// Every subset a VirtualService of the set routes or mirrors to must be defined by its host's DestinationRule
/// (Istio's IST0101, which its webhook never checks). A missing subset in a DestinationRule of the set is an
/// error; a host with no DestinationRule in the set is a warning, since the cluster may hold it.
/// </summary>
internal static class SubsetRule
{
    public const string MissingSubsetCode = "MF0101";
    public const string MissingDestinationRuleCode = "MF0102";

    public static IEnumerable<Diagnostic> Check(IReadOnlyList<AnalyzedObject> objects, string clusterDomain)
    {
        var byKey = objects.ToDictionary(o => o.Key);
        var violations = SubsetReferences.FindMissing(objects.Select(o => o.Object), new SubsetCheckOptions { ClusterDomain = clusterDomain });
        foreach (var v in violations)
        {
            var r = v.Reference;
            var key = byKey.Keys.FirstOrDefault(k => k.Group == "networking.istio.io" && k.Kind == "VirtualService" && k.Namespace == r.VirtualServiceNamespace && k.Name == r.VirtualServiceName);
            if (!byKey.TryGetValue(key, out var vs))
            {
                continue;
            }

            yield return v.DestinationRuleExists
                ? vs.Finding(Severity.Error, r.Path, v.Message, MissingSubsetCode)
                : vs.Finding(Severity.Warning, r.Path, $"subset '{r.Subset}' of host '{r.Host}': no DestinationRule for this host in the input; the cluster's must define the subset before this VirtualService is applied", MissingDestinationRuleCode);
        }
    }
}

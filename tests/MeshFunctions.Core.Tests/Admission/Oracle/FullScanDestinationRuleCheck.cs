using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>
/// The DestinationRule check as it was before the use index: two indexes of every rule (the others plus the old rule, the
/// others plus the new one) and every live VirtualService walked. Kept only as the reference
/// <c>SubsetGuardDestinationRulePropertyTests</c> holds <see cref="SubsetGuard.CheckDestinationRule"/> to.
/// </summary>
internal static class FullScanDestinationRuleCheck
{
    private const string Wait = "wait for propagation (a few seconds)";

    public static AdmissionDecision Check(JsonObject oldDr, JsonObject? newDr, IReadOnlyCollection<JsonObject> liveVirtualServices, IReadOnlyCollection<JsonObject> liveDestinationRules)
    {
        const string domain = "cluster.local";
        var id = ObjectId.Of(oldDr);
        var others = liveDestinationRules.Where(dr => ObjectId.Of(dr).Key != id.Key).ToList();
        var before = new DestinationRuleIndex(others.Append(oldDr), domain, "istio-system");
        var after = new DestinationRuleIndex(newDr is null ? others : others.Append(newDr), domain, "istio-system");
        var message = new StringBuilder();
        foreach (var vs in liveVirtualServices)
        {
            var vsId = ObjectId.Of(vs);
            var broken = SubsetReferences.Collect(vs, domain)
                .Where(r => before.Lookup(r.Host, vsId.Namespace).Subsets.Contains(r.Subset) && !after.Lookup(r.Host, vsId.Namespace).Subsets.Contains(r.Subset))
                .ToList();
            foreach (var group in broken.GroupBy(r => r.Host))
            {
                var subsets = string.Join(", ", group.Select(r => r.Subset).Distinct().Order(StringComparer.Ordinal));
                var where = string.Join(", ", group.Select(r => r.Path).Distinct());
                message.Append(message.Length == 0 ? string.Empty : "; ");
                message.Append(newDr is null
                    ? $"{vsId} still routes to subset(s) {subsets} of host {group.Key} ({where}). Safe order: remove subset(s) {subsets} from VirtualService {vsId.Key} first (or delete it), {Wait}, then delete DestinationRule {id.Key}"
                    : $"{vsId} still routes to subset(s) {subsets} of host {group.Key} ({where}). Safe order: remove subset(s) {subsets} from VirtualService {vsId.Key} first, {Wait}, then remove them from DestinationRule {id.Key}");
            }
        }

        if (message.Length == 0)
        {
            return AdmissionDecision.Allow();
        }

        var action = newDr is null ? "may not be deleted" : "may not remove subsets that are in use";
        return AdmissionDecision.Deny($"{id} {action} (requests would fail with 503): {message}");
    }
}

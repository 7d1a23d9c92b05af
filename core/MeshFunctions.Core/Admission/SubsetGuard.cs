using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// The 503 guard. Istio's own webhook validates one object at a time, so it lets a VirtualService point at a subset
/// that the live DestinationRule lacks (proxies then answer 503 until the DR arrives). This guard checks the pair:
/// a VirtualService CREATE/UPDATE may only name subsets the live DestinationRules define, and a DestinationRule
/// UPDATE/DELETE may not take away a subset a live VirtualService still uses. Denials spell out the safe order
/// (make-before-break).
/// </summary>
public static class SubsetGuard
{
    private const string Wait = "wait for propagation (a few seconds)";

    /// <summary>
    /// Decides one admission request. <paramref name="liveVirtualServices"/> and <paramref name="liveDestinationRules"/>
    /// are the cluster's current objects (the object under review may or may not be among them). Other kinds, VirtualService
    /// DELETE and DestinationRule CREATE are always allowed.
    /// </summary>
    public static AdmissionDecision Check(
        AdmissionOperation op,
        JsonObject? oldObj,
        JsonObject? newObj,
        IReadOnlyCollection<JsonObject> liveVirtualServices,
        IReadOnlyCollection<JsonObject> liveDestinationRules,
        SubsetGuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(liveVirtualServices);
        ArgumentNullException.ThrowIfNull(liveDestinationRules);
        options ??= SubsetGuardOptions.Default;
        var kind = ObjectId.Text((newObj ?? oldObj)?["kind"]);
        return (kind, op) switch
        {
            ("VirtualService", AdmissionOperation.Create or AdmissionOperation.Update) when newObj is not null =>
                CheckVirtualService(newObj, liveDestinationRules, options),
            ("DestinationRule", AdmissionOperation.Update or AdmissionOperation.Delete) when oldObj is not null =>
                CheckDestinationRule(oldObj, op == AdmissionOperation.Delete ? null : newObj, liveVirtualServices, liveDestinationRules, options),
            _ => AdmissionDecision.Allow(),
        };
    }

    /// <summary>
    /// Decides a VirtualService CREATE/UPDATE against an index of the live DestinationRules built once and shared (the
    /// webhook keeps one per cache snapshot); the same answer as <see cref="Check"/> given the rules themselves.
    /// </summary>
    public static AdmissionDecision CheckVirtualService(JsonObject virtualService, DestinationRuleIndex liveDestinationRules)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        ArgumentNullException.ThrowIfNull(liveDestinationRules);
        return CheckVirtualService(virtualService, liveDestinationRules, liveDestinationRules.ClusterDomain);
    }

    private static AdmissionDecision CheckVirtualService(JsonObject vs, IReadOnlyCollection<JsonObject> liveDestinationRules, SubsetGuardOptions options) =>
        CheckVirtualService(vs, new DestinationRuleIndex(liveDestinationRules, options.ClusterDomain, options.RootNamespace), options.ClusterDomain);

    private static AdmissionDecision CheckVirtualService(JsonObject vs, DestinationRuleIndex index, string clusterDomain)
    {
        var id = ObjectId.Of(vs);
        var problems = new List<string>();
        foreach (var group in SubsetReferences.Collect(vs, clusterDomain).GroupBy(r => r.Host))
        {
            var (rules, defined) = index.Lookup(group.Key, id.Namespace);
            var missing = group.Select(r => r.Subset).Where(s => !defined.Contains(s)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            var list = string.Join(", ", missing);
            if (rules.Count == 0)
            {
                var searched = string.Join(", ", index.SearchOrder(group.Key, id.Namespace));
                problems.Add($"host {group.Key} has no DestinationRule (searched namespaces {searched}) but the routes use subset(s) {list}. "
                    + $"Safe order: create a DestinationRule for {group.Key} with subset(s) {list} first, {Wait}, then apply this VirtualService");
            }
            else
            {
                var names = string.Join(" / ", rules.Select(r => "DestinationRule " + r));
                var has = defined.Count == 0 ? "no subsets" : "subsets " + string.Join(", ", defined.Order(StringComparer.Ordinal));
                problems.Add($"host {group.Key}: subset(s) {list} are not defined by {names} (it defines {has}). "
                    + $"Safe order: add subset(s) {list} to {names} first, {Wait}, then apply this VirtualService");
            }
        }

        return problems.Count == 0
            ? AdmissionDecision.Allow()
            : AdmissionDecision.Deny($"{id} routes to subsets that do not exist yet (requests would fail with 503): " + string.Join("; ", problems));
    }

    private static AdmissionDecision CheckDestinationRule(
        JsonObject oldDr,
        JsonObject? newDr,
        IReadOnlyCollection<JsonObject> liveVirtualServices,
        IReadOnlyCollection<JsonObject> liveDestinationRules,
        SubsetGuardOptions options)
    {
        var id = ObjectId.Of(oldDr);
        var others = liveDestinationRules.Where(dr => ObjectId.Of(dr).Key != id.Key).ToList();
        var before = new DestinationRuleIndex(others.Append(oldDr), options.ClusterDomain, options.RootNamespace);
        var after = new DestinationRuleIndex(newDr is null ? others : others.Append(newDr), options.ClusterDomain, options.RootNamespace);
        var message = new StringBuilder();
        foreach (var vs in liveVirtualServices)
        {
            var vsId = ObjectId.Of(vs);
            var broken = SubsetReferences.Collect(vs, options.ClusterDomain)
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

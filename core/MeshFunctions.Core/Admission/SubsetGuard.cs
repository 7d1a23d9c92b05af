using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Planning.Internal;

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

    /// <summary>The allowed answer, shared (a decision is immutable): the common case allocates nothing.</summary>
    private static readonly AdmissionDecision Allowed = AdmissionDecision.Allow();

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
        return CheckVirtualService(ObjectId.Of(virtualService), SubsetReferences.Uses(new NodeView(virtualService), liveDestinationRules.ClusterDomain), liveDestinationRules);
    }

    /// <summary>
    /// <see cref="CheckVirtualService(JsonObject, DestinationRuleIndex)"/> for a VirtualService read in one pass straight
    /// from its UTF-8 JSON (the webhook's reviewed object, from the AdmissionReview's bytes): the same rule and the same
    /// answer, with no document or node tree. False (no decision) when the object lacks <c>apiVersion</c> or <c>kind</c>:
    /// the caller adds them from the review and asks again with a node tree. Member names must be unique in every object
    /// (the webhook's reader refuses duplicates); invalid JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static bool TryCheckVirtualService(ReadOnlySpan<byte> utf8VirtualService, DestinationRuleIndex liveDestinationRules, [NotNullWhen(true)] out AdmissionDecision? decision)
    {
        ArgumentNullException.ThrowIfNull(liveDestinationRules);
        var vs = Utf8VirtualService.Read(utf8VirtualService, liveDestinationRules.ClusterDomain);
        if (!vs.HasKindAndApiVersion)
        {
            decision = null;
            return false;
        }

        var id = new ObjectId(vs.Kind ?? "object", vs.Namespace is { Length: > 0 } ns ? ns : "default", vs.Name ?? string.Empty);
        decision = CheckVirtualService(id, vs.Uses, liveDestinationRules);
        return true;
    }

    private static AdmissionDecision CheckVirtualService(JsonObject vs, IReadOnlyCollection<JsonObject> liveDestinationRules, SubsetGuardOptions options) =>
        CheckVirtualService(vs, new DestinationRuleIndex(liveDestinationRules, options.ClusterDomain, options.RootNamespace));

    private static AdmissionDecision CheckVirtualService(ObjectId id, IReadOnlyList<SubsetUse> references, DestinationRuleIndex index)
    {
        if (references.Count == 0)
        {
            return Allowed;
        }

        List<string>? problems = null;
        for (var i = 0; i < references.Count; i++)
        {
            // Hosts in order of first use, each looked up once (no grouping allocations on the common, allowed path).
            var host = references[i].Host;
            if (SeenBefore(references, i))
            {
                continue;
            }

            var (rules, defined) = index.Lookup(host, id.Namespace);
            List<string>? missing = null;
            for (var j = i; j < references.Count; j++)
            {
                if (references[j].Host == host && !defined.Contains(references[j].Subset) && !(missing ??= []).Contains(references[j].Subset))
                {
                    missing.Add(references[j].Subset);
                }
            }

            if (missing is null)
            {
                continue;
            }

            missing.Sort(StringComparer.Ordinal);
            var list = string.Join(", ", missing);
            if (rules.Count == 0)
            {
                var searched = string.Join(", ", index.SearchOrder(host, id.Namespace));
                (problems ??= []).Add($"host {host} has no DestinationRule (searched namespaces {searched}) but the routes use subset(s) {list}. "
                    + $"Safe order: create a DestinationRule for {host} with subset(s) {list} first, {Wait}, then apply this VirtualService");
            }
            else
            {
                var names = string.Join(" / ", rules.Select(r => "DestinationRule " + r));
                var has = defined.Count == 0 ? "no subsets" : "subsets " + string.Join(", ", defined.Order(StringComparer.Ordinal));
                (problems ??= []).Add($"host {host}: subset(s) {list} are not defined by {names} (it defines {has}). "
                    + $"Safe order: add subset(s) {list} to {names} first, {Wait}, then apply this VirtualService");
            }
        }

        return problems is null
            ? Allowed
            : AdmissionDecision.Deny($"{id} routes to subsets that do not exist yet (requests would fail with 503): " + string.Join("; ", problems));
    }

    private static bool SeenBefore(IReadOnlyList<SubsetUse> references, int index)
    {
        for (var k = 0; k < index; k++)
        {
            if (references[k].Host == references[index].Host)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decides a DestinationRule UPDATE (<paramref name="newDestinationRule"/> set) or DELETE (null) against indexes of the
    /// live objects built once and shared (the webhook keeps one of each per cache snapshot); the same answer as
    /// <see cref="Check"/> given the objects themselves. Only the VirtualServices that route to a host the rule (before or
    /// after) can serve are looked at.
    /// </summary>
    public static AdmissionDecision CheckDestinationRule(
        JsonObject oldDestinationRule,
        JsonObject? newDestinationRule,
        VirtualServiceUseIndex liveVirtualServices,
        DestinationRuleIndex liveDestinationRules)
    {
        ArgumentNullException.ThrowIfNull(oldDestinationRule);
        ArgumentNullException.ThrowIfNull(liveVirtualServices);
        ArgumentNullException.ThrowIfNull(liveDestinationRules);
        var id = ObjectId.Of(oldDestinationRule);
        var domain = liveDestinationRules.ClusterDomain;

        // A lookup can only change for hosts the old or the new rule matches; every other subset use is as it was.
        var patterns = new List<string>(2);
        if (DestinationRuleIndex.HostOf(oldDestinationRule, domain) is { } oldHost)
        {
            patterns.Add(oldHost);
        }

        if (newDestinationRule is not null && DestinationRuleIndex.HostOf(newDestinationRule, domain) is { } newHost && !patterns.Contains(newHost))
        {
            patterns.Add(newHost);
        }

        var hosts = liveVirtualServices.HostsMatching(patterns);
        if (hosts.Count == 0)
        {
            return Allowed;
        }

        var before = liveDestinationRules.Replacing(id.Namespace, id.Name, oldDestinationRule, hosts);
        var after = liveDestinationRules.Replacing(id.Namespace, id.Name, newDestinationRule, hosts);
        var message = new StringBuilder();
        foreach (var (vsId, uses) in liveVirtualServices.Using(hosts))
        {
            var broken = uses
                .Where(r => hosts.Contains(r.Host) && before.Lookup(r.Host, vsId.Namespace).Subsets.Contains(r.Subset) && !after.Lookup(r.Host, vsId.Namespace).Subsets.Contains(r.Subset))
                .ToList();
            foreach (var group in broken.GroupBy(r => r.Host))
            {
                var subsets = string.Join(", ", group.Select(r => r.Subset).Distinct().Order(StringComparer.Ordinal));
                var where = string.Join(", ", group.Select(r => r.Path).Distinct());
                message.Append(message.Length == 0 ? string.Empty : "; ");
                message.Append(newDestinationRule is null
                    ? $"{vsId} still routes to subset(s) {subsets} of host {group.Key} ({where}). Safe order: remove subset(s) {subsets} from VirtualService {vsId.Key} first (or delete it), {Wait}, then delete DestinationRule {id.Key}"
                    : $"{vsId} still routes to subset(s) {subsets} of host {group.Key} ({where}). Safe order: remove subset(s) {subsets} from VirtualService {vsId.Key} first, {Wait}, then remove them from DestinationRule {id.Key}");
            }
        }

        if (message.Length == 0)
        {
            return Allowed;
        }

        var action = newDestinationRule is null ? "may not be deleted" : "may not remove subsets that are in use";
        return AdmissionDecision.Deny($"{id} {action} (requests would fail with 503): {message}");
    }

    private static AdmissionDecision CheckDestinationRule(
        JsonObject oldDr,
        JsonObject? newDr,
        IReadOnlyCollection<JsonObject> liveVirtualServices,
        IReadOnlyCollection<JsonObject> liveDestinationRules,
        SubsetGuardOptions options) =>
        CheckDestinationRule(
            oldDr,
            newDr,
            new VirtualServiceUseIndex(liveVirtualServices, options.ClusterDomain),
            new DestinationRuleIndex(liveDestinationRules, options.ClusterDomain, options.RootNamespace));
}

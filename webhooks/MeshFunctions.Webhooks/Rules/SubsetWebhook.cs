using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Istio;
using MeshFunctions.Core.Planning;
using MeshFunctions.Webhooks.Cache;
using MeshFunctions.Webhooks.Protocol;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// <c>/validate/subsets</c>: core's <see cref="SubsetGuard"/> against the watch-fed cache. A VirtualService is checked
/// against the DestinationRules of the namespaces istiod searches (client, service, root); before a denial the
/// DestinationRules of those namespaces are read directly, so a rule created a moment earlier is not missed.
/// </summary>
internal sealed class SubsetWebhook(ClusterCache cache, IOptions<WebhookOptions> options) : IAdmissionWebhook
{
    private static readonly AdmissionOutcome Allowed = AdmissionOutcome.Allow();

    private readonly SubsetGuardOptions _guard = options.Value.SubsetGuard;
    private Func<IReadOnlyList<JsonObject>, DestinationRuleIndex>? _buildIndex;

    public string Name => "subsets";

    public bool Mutating => false;

    public async ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind.Group != "networking.istio.io")
        {
            return AdmissionOutcome.Allow();
        }

        if (request.Kind.Kind == "VirtualService" && request.Operation is AdmissionOperation.Create or AdmissionOperation.Update && request.ObjectJson is { } reviewed)
        {
            // Read in one pass straight from the review's bytes (no document, no node tree; oldObject is never read). A
            // hand-built object without apiVersion/kind goes through a node copy that gets them from the review.
            if (!SubsetGuard.TryCheckVirtualService(reviewed.Utf8, Index(), out var decision))
            {
                return await CheckNodeAsync(WithKind(reviewed.Node, request), cancellationToken).ConfigureAwait(false);
            }

            if (!decision.Allowed && await cache.ReadDestinationRulesAsync(SearchNamespaces(reviewed.Node), cancellationToken).ConfigureAwait(false) > 0)
            {
                SubsetGuard.TryCheckVirtualService(reviewed.Utf8, Index(), out decision);
            }

            return decision is { Allowed: true } ? Allowed : AdmissionOutcome.From(decision!);
        }

        if (request.Kind.Kind == "DestinationRule" && request.Operation is AdmissionOperation.Update or AdmissionOperation.Delete)
        {
            if (request.OldObject is not { } old)
            {
                return AdmissionOutcome.Allow();
            }

            // Against the shared indexes of the cache snapshots: only the VirtualServices routing to a host this rule can
            // serve are looked at.
            var now = request.Operation == AdmissionOperation.Delete || request.Object is not { } n ? null : n;
            return AdmissionOutcome.From(SubsetGuard.CheckDestinationRule(WithKind(old, request), now, Uses(), Index()));
        }

        return AdmissionOutcome.Allow();
    }

    /// <summary>A VirtualService as a node tree: checked, and before a denial checked again after reading the search namespaces directly.</summary>
    private async ValueTask<AdmissionOutcome> CheckNodeAsync(JsonObject vs, CancellationToken cancellationToken)
    {
        var decision = SubsetGuard.CheckVirtualService(vs, Index());
        if (!decision.Allowed && await cache.ReadDestinationRulesAsync(SearchNamespaces(vs), cancellationToken).ConfigureAwait(false) > 0)
        {
            decision = SubsetGuard.CheckVirtualService(vs, Index());
        }

        return decision.Allowed ? Allowed : AdmissionOutcome.From(decision);
    }

    /// <summary>The DestinationRule lookup of the current cache snapshot: built once per change, shared by every request.</summary>
    private DestinationRuleIndex Index() =>
        cache.DestinationRules.Current.Derived(_buildIndex ??= rules => new DestinationRuleIndex(rules, _guard.ClusterDomain, _guard.RootNamespace));

    /// <summary>The subset uses of the VirtualService cache snapshot: built once per change, shared by every request.</summary>
    private VirtualServiceUseIndex Uses() =>
        cache.VirtualServices.Current.Derived(services => new VirtualServiceUseIndex(services, _guard.ClusterDomain));

    /// <summary>The VirtualService's namespace, the namespaces of the services it routes to, and the root namespace.</summary>
    private List<string> SearchNamespaces(JsonObject vs)
    {
        var ns = vs["metadata"] is JsonObject meta && meta["namespace"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : "default";
        var result = new List<string> { ns, _guard.RootNamespace };
        var suffix = ".svc." + _guard.ClusterDomain;
        foreach (var reference in SubsetReferences.Collect(vs, _guard.ClusterDomain))
        {
            if (reference.Host.EndsWith(suffix, StringComparison.Ordinal) && reference.Host[..^suffix.Length].Split('.') is [_, var serviceNs])
            {
                result.Add(serviceNs);
            }
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Objects in reviews always carry apiVersion/kind; a hand-built one may not, and the guard needs them.</summary>
    private static JsonObject WithKind(JsonObject obj, AdmissionRequest request)
    {
        if (obj["apiVersion"] is not null && obj["kind"] is not null)
        {
            return obj;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] ??= "networking.istio.io/" + (string.IsNullOrEmpty(request.Kind.Version) ? "v1" : request.Kind.Version);
        copy["kind"] ??= request.Kind.Kind;
        return copy;
    }
}

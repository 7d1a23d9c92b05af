using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Cache;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// <c>/mutate/workloads</c>: Pods and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and
/// CronJobs get what <c>meshctl inject</c> gives them (core's <see cref="WorkloadMutator"/>), with the namespace's labels
/// from the cache for its warnings (indexed once per cache snapshot).
/// </summary>
internal sealed class WorkloadWebhook(WorkloadMutator mutator, ClusterCache cache) : IAdmissionWebhook
{
    public string Name => "workloads";

    public bool Mutating => true;

    public ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update) || request.ObjectJson is not { } obj || !string.IsNullOrEmpty(request.SubResource))
        {
            return ValueTask.FromResult(AdmissionOutcome.Allow());
        }

        var context = new MutationContext { NamespaceLabels = NamespaceLabels(request.Namespace) };
        // The rules read the parsed document (no node tree) and decide the patch operations; nothing is edited.
        var result = mutator.Decide(obj.Element, context);
        return ValueTask.FromResult(result.Allowed
            ? new AdmissionOutcome { Allowed = true, Patch = result.Patch, Warnings = result.Warnings }
            : AdmissionOutcome.Deny(400, $"{request.Subject}: {result.Reason}"));
    }

    private IReadOnlyDictionary<string, string>? NamespaceLabels(string? ns) =>
        string.IsNullOrEmpty(ns) ? null : cache.Namespaces.Current.Derived(NamespaceLabelIndex.Build).Of(ns);
}

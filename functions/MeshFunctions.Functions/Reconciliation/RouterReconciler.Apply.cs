using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Reconciliation;
using MeshFunctions.Functions.Kubernetes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>Carrying out plan steps: create, merge-patch owned fields with a resourceVersion precondition, delete.</summary>
internal sealed partial class RouterReconciler
{
    private const int MaxConflictRetries = 5;

    private async Task ApplyAsync(IReadOnlyList<PlanStep> steps, IReadOnlyList<JsonObject> live, CancellationToken cancellationToken)
    {
        var liveByKey = live.ToDictionary(Key);
        foreach (var step in steps)
        {
            switch (step)
            {
                case ApplyStep apply:
                    liveByKey.TryGetValue(Key(apply.Object), out var have);
                    await ApplyObjectAsync(kube, apply.Object, have, cancellationToken).ConfigureAwait(false);
                    break;
                case DeleteStep delete:
                    await kube.DeleteAsync(KubeKind.Of(delete.ApiVersion, delete.Kind), delete.Namespace, delete.Name, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Creates <paramref name="desired"/> or patches the owned fields of the live object; a 409 re-reads and re-applies.</summary>
    internal static async Task ApplyObjectAsync(KubeObjects kube, JsonObject desired, JsonObject? live, CancellationToken cancellationToken)
    {
        var kind = KubeKind.Of((string?)desired["apiVersion"] ?? string.Empty, (string?)desired["kind"] ?? string.Empty);
        var ns = KubeObjects.Namespace(desired);
        var name = KubeObjects.Name(desired);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (live is null)
                {
                    await kube.CreateAsync(kind, desired, cancellationToken).ConfigureAwait(false);
                    return;
                }

                var patch = OwnedFields.MergePatch(live, desired);
                if (patch.Count == 1 && patch["metadata"] is JsonObject { Count: 1 })
                {
                    return;
                }

                await kube.PatchAsync(kind, ns, name, patch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeConflictException) when (attempt < MaxConflictRetries)
            {
                live = await kube.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

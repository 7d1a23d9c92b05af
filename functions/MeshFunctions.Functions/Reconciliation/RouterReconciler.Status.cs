using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Reconciliation;
using MeshFunctions.Functions.Kubernetes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>Router status writes: the lease, conditions, finalizer. Each carries the read resourceVersion; false means 409.</summary>
internal sealed partial class RouterReconciler
{
    /// <summary>Marks the Router Degraded (e.g. an event failed for the last time); best effort.</summary>
    public async Task ReportFailureAsync(string ns, string name, string reason, string message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var router = await kube.GetAsync(KubeKind.Router, ns, name, cancellationToken).ConfigureAwait(false);
            if (router is null)
            {
                return;
            }

            var generation = (long?)router["metadata"]?["generation"];
            var now = time.GetUtcNow();
            if (await WriteStatusAsync(router, s => RouterConditions.Set(s, RouterConditions.Degraded, true, reason, message, generation, now), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Marks the claimed phase failed (its wait stays: part of it may be live) and the Router Degraded; best effort.</summary>
    private async Task ReportPhaseFailureAsync(string ns, string name, TransitionLease claim, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
            {
                var router = await kube.GetAsync(KubeKind.Router, ns, name, cancellationToken).ConfigureAwait(false);
                if (router is null || TransitionLease.Read(router)?.Id != claim.Id)
                {
                    return;
                }

                var generation = (long?)router["metadata"]?["generation"];
                var now = time.GetUtcNow();
                var message = $"phase {claim.Step} of transition {claim.Id} failed: {error.GetType().Name}: {error.Message}";
                if (await WriteStatusAsync(router, s =>
                    {
                        // A phase without a wait releases the lease at once; one with a wait keeps it until the wait ends.
                        s["transition"] = (claim with { Failed = true, LeaseUntil = claim.NotBefore ?? now }).ToJson();
                        RouterConditions.Set(s, RouterConditions.Degraded, true, "ApplyFailed", message, generation, now);
                        return true;
                    }, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The API server is failing anyway; the lease expires at its wait and the message's retry carries on.
            Log.StatusWriteFailed(logger, ns, name, ex);
        }
    }

    /// <summary>Writes the status <paramref name="change"/> makes, if it changes anything. False on 409.</summary>
    private async Task<bool> WriteStatusAsync(JsonObject router, Func<JsonObject, bool> change, CancellationToken cancellationToken)
    {
        var copy = (JsonObject)router.DeepClone();
        if (copy["status"] is not JsonObject status)
        {
            copy["status"] = status = [];
        }

        if (!change(status))
        {
            return true;
        }

        try
        {
            await kube.ReplaceStatusAsync(KubeKind.Router, copy, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeConflictException)
        {
            return false;
        }
    }

    private Task<bool> ClaimAsync(JsonObject router, TransitionLease claim, string reason, string summary, long? generation, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteStatusAsync(router, status =>
        {
            status["transition"] = claim.ToJson();
            RouterConditions.Set(status, RouterConditions.Progressing, true, reason, summary, generation, now);
            RouterConditions.Set(status, RouterConditions.Ready, false, "Transitioning", $"transition {claim.Id} phase {claim.Step}", generation, now);
            return true;
        }, cancellationToken);

    private Task<bool> MarkDirtyAsync(JsonObject router, TransitionLease lease, CancellationToken cancellationToken) =>
        WriteStatusAsync(router, status =>
        {
            status["transition"] = (lease with { Dirty = true }).ToJson();
            return true;
        }, cancellationToken);

    private Task<bool> WriteInSyncAsync(JsonObject router, RouterDesiredState desired, long? generation, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteStatusAsync(router, status =>
        {
            var changed = status.Remove("transition");
            if ((long?)status["observedGeneration"] != generation)
            {
                status["observedGeneration"] = generation;
                changed = true;
            }

            changed |= RouterConditions.Set(status, RouterConditions.Ready, true, "InSync", $"{desired.Objects.Count} objects match the Router", generation, now);
            changed |= RouterConditions.Set(status, RouterConditions.Progressing, false, "Idle", "no transition in progress", generation, now);
            var problems = desired.FilterOutcomes.Where(o => o.Status == FilterOutcomeStatus.Failed).SelectMany(o => o.Diagnostics)
                .Concat(desired.RateLimitDiagnostics.Where(d => d.Severity == Severity.Error))
                .Select(d => d.ToString())
                .ToList();
            changed |= problems.Count == 0
                ? RouterConditions.Set(status, RouterConditions.Degraded, false, "AsExpected", "no problems", generation, now)
                : RouterConditions.Set(status, RouterConditions.Degraded, true, "ConfigProblems", string.Join("; ", problems), generation, now);
            return changed;
        }, cancellationToken);

    private static bool HasFinalizer(JsonObject router) =>
        (router["metadata"]?["finalizers"] as JsonArray)?.Any(f => (string?)f == Finalizer) == true;

    private async Task<bool> AddFinalizerAsync(JsonObject router, CancellationToken cancellationToken)
    {
        var finalizers = (router["metadata"]?["finalizers"] as JsonArray)?.Select(f => (JsonNode?)(string?)f).ToList() ?? [];
        finalizers.Add(Finalizer);
        return await PatchRouterMetadataAsync(router, new JsonArray([.. finalizers]), cancellationToken).ConfigureAwait(false);
    }

    private async Task RemoveFinalizerAsync(JsonObject router, CancellationToken cancellationToken)
    {
        var rest = (router["metadata"]?["finalizers"] as JsonArray)?.Select(f => (string?)f).Where(f => f != Finalizer).Select(f => (JsonNode?)f).ToArray() ?? [];
        await PatchRouterMetadataAsync(router, new JsonArray(rest), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> PatchRouterMetadataAsync(JsonObject router, JsonArray finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = router["metadata"]?["resourceVersion"]?.DeepClone(), ["finalizers"] = finalizers },
        };
        try
        {
            await kube.PatchAsync(KubeKind.Router, KubeObjects.Namespace(router), KubeObjects.Name(router), patch, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeConflictException)
        {
            return false;
        }
    }
}

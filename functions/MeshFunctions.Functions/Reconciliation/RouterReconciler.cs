using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Reconciliation;
using MeshFunctions.Core.Resources;
using MeshFunctions.Functions.Kubernetes;
using MeshFunctions.Functions.Outcomes;
using MeshFunctions.Functions.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// Takes one Router's live objects to what it (with its IstioFilters and RateLimits) renders to, make-before-break,
/// one phase per claim: read the Router, plan from live state (core's <see cref="TransitionPlanner"/>), claim the
/// Router's <see cref="TransitionLease"/> with a resourceVersion precondition, apply the steps up to the planner's first
/// wait, then hand the wait to a delayed continuation message. Every pass re-plans from what is live, so a burst of
/// events coalesces into the next phase, a lost step is redone, and a crash mid-phase is repaired by whoever comes next.
/// </summary>
internal sealed partial class RouterReconciler(
    KubeObjects kube,
    EventQueue queue,
    MeshStateReader state,
    IOutcomePublisher outcomes,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<RouterReconciler> logger)
{
    /// <summary>Finalizer that lets the reconciler remove a deleted Router's objects make-before-break.</summary>
    public const string Finalizer = "router.service-mesh.zhihu.com/cleanup";

    private const int MaxPasses = 12;

    private readonly ReconcilerOptions _options = options.Value;

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, ReconcileTrigger trigger, CancellationToken cancellationToken)
    {
        string? myTransition = trigger.TransitionId;
        var applied = false;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var routerObject = await kube.GetAsync(KubeKind.Router, ns, name, cancellationToken).ConfigureAwait(false);
            if (routerObject is null)
            {
                return ReconcileResult.NotFound;
            }

            var now = time.GetUtcNow();
            var lease = TransitionLease.Read(routerObject);
            // The holder's own redelivery (it crashed or failed mid-phase) takes its lease back, except during a wait.
            var mine = lease is not null && (lease.Id == myTransition || (!lease.IsWaiting(now) && lease.Origin == trigger.EventId));
            if (lease is not null && lease.IsHeld(now))
            {
                if (lease.IsWaiting(now))
                {
                    if ((mine || lease.Origin == trigger.EventId) && lease.Failed)
                    {
                        // The phase failed before its continuation was sent: fail this attempt too (the host retries it,
                        // and after the last one it goes to the poison queue and the Router says why).
                        throw new InvalidOperationException($"Router {ns}/{name}: phase {lease.Step} of transition {lease.Id} failed; retrying after {lease.NotBefore:O}");
                    }

                    if (mine || lease.Origin == trigger.EventId || lease.Failed)
                    {
                        // Early continuation (queue delays count whole seconds) or a redelivery of the claiming event:
                        // make sure the transition carries on after the wait.
                        await queue.SendContinuationAsync(ns, name, lease.Id, lease.Step, lease.NotBefore!.Value - now, cancellationToken).ConfigureAwait(false);
                    }

                    Log.Waiting(logger, ns, name, lease.Id, lease.NotBefore!.Value);
                    return ReconcileResult.Waiting;
                }

                if (!mine)
                {
                    if (lease.Dirty || await MarkDirtyAsync(routerObject, lease, cancellationToken).ConfigureAwait(false))
                    {
                        Log.HandedOver(logger, ns, name, lease.Id);
                        return ReconcileResult.HandedOver;
                    }

                    continue;
                }
            }

            var diagnostics = new List<Diagnostic>();
            var router = (Router?)ManifestParser.Bind(routerObject, typeof(Router), string.Empty, diagnostics);
            var generation = (long?)routerObject["metadata"]?["generation"];
            if (router is null)
            {
                var message = string.Join("; ", diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()));
                await WriteStatusAsync(routerObject, s => RouterConditions.Set(s, RouterConditions.Degraded, true, "InvalidRouter", message, generation, now), cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Invalid;
            }

            var deleting = routerObject["metadata"]?["deletionTimestamp"] is not null;
            if (!deleting && !HasFinalizer(routerObject))
            {
                await AddFinalizerAsync(routerObject, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var desired = deleting ? null : await state.DesiredAsync(router, cancellationToken).ConfigureAwait(false);
            var desiredObjects = desired?.Objects ?? [];
            var live = await state.LiveAsync(ns, name, desiredObjects, fresh: deleting, cancellationToken).ConfigureAwait(false);
            var plan = Plan(live, desiredObjects);
            if (!deleting && PlanRemovals.RemovesAnything(plan, live))
            {
                // Taking something away is safe only if no live route still uses it: see every object, not the cache's view.
                live = await state.LiveAsync(ns, name, desiredObjects, fresh: true, cancellationToken).ConfigureAwait(false);
                plan = Plan(live, desiredObjects);
            }

            if (plan.IsEmpty)
            {
                if (deleting)
                {
                    await RemoveFinalizerAsync(routerObject, cancellationToken).ConfigureAwait(false);
                    return ReconcileResult.NotFound;
                }

                if (!await WriteInSyncAsync(routerObject, desired!, generation, now, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await state.WriteFilterStatusAsync(desired!.FilterOutcomes, cancellationToken).ConfigureAwait(false);
                if (applied || mine)
                {
                    await outcomes.PublishAsync(new MeshOutcome(trigger.EventId, ns, name, MeshOutcomeKind.TransitionDone, lease?.Step ?? 0, "live objects match the Router", now), cancellationToken).ConfigureAwait(false);
                }

                Log.InSync(logger, ns, name, desiredObjects.Count);
                return ReconcileResult.InSync;
            }

            var segment = plan.Steps.TakeWhile(s => s is not WaitStep).ToList();
            var wait = plan.Steps.OfType<WaitStep>().FirstOrDefault();
            var id = mine ? lease!.Id : Guid.NewGuid().ToString("N");
            var notBefore = wait is null ? (DateTimeOffset?)null : now + wait.Duration;
            var claim = new TransitionLease(id, trigger.EventId, (mine ? lease!.Step : 0) + 1, notBefore, notBefore ?? now + _options.LeaseDuration, Dirty: false);
            var summary = string.Join("; ", segment.Select(s => s.ToString()));
            if (!await ClaimAsync(routerObject, claim, wait is null ? "Applying" : "Waiting", summary, generation, now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            myTransition = id;
            if (desired is { RateLimited: true })
            {
                await state.EnsureRlsEgressAsync(router, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await ApplyAsync(segment, live, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await ReportPhaseFailureAsync(ns, name, claim, ex, cancellationToken).ConfigureAwait(false);
                throw;
            }

            applied = true;
            Log.PhaseApplied(logger, ns, name, id, claim.Step, segment.Count, wait is not null);
            await outcomes.PublishAsync(new MeshOutcome(trigger.EventId, ns, name, MeshOutcomeKind.StepApplied, claim.Step, summary, now), cancellationToken).ConfigureAwait(false);
            if (wait is not null)
            {
                await queue.SendContinuationAsync(ns, name, id, claim.Step, wait.Duration, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Waiting;
            }
        }

        // Livelock guard: someone keeps changing the Router. Carry on later instead of spinning.
        await queue.SendContinuationAsync(ns, name, myTransition ?? "none", 0, _options.PropagationDelay, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Waiting;
    }

    private TransitionPlan Plan(IReadOnlyList<JsonObject> live, IReadOnlyList<JsonObject> desired)
    {
        var byKey = desired.ToDictionary(Key);
        var projected = live.Select(l => byKey.TryGetValue(Key(l), out var d) ? OwnedFields.Project(l, d) : l).ToList();
        return TransitionPlanner.Plan(projected, desired, new PlanOptions { PropagationDelay = _options.PropagationDelay, ClusterDomain = _options.ClusterDomain });
    }

    internal static string Key(JsonObject obj) =>
        $"{KubeKind.Of((string?)obj["apiVersion"] ?? string.Empty, (string?)obj["kind"] ?? string.Empty).Plural}/{KubeObjects.Namespace(obj)}/{KubeObjects.Name(obj)}";
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Deployments;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;
using MeshFunctions.Functions.Kubernetes;
using MeshFunctions.Functions.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// deploy-events: applies each <see cref="DeployEvent"/> to its Router (core's <see cref="RouterDeployments"/>) exactly
/// once and in sequence order (core's <see cref="DeployOrdering"/>), then reconciles. The last applied sequence
/// (<see cref="SequenceAnnotation"/>) and the events parked while an earlier number is missing
/// (<see cref="ParkedAnnotation"/>) live on the Router and move in the same conditional write as the spec, so a duplicate
/// or stale event is a no-op on every instance, and the event that fills a gap applies the parked ones with it (one
/// write, one transition). Only when the Router does not exist yet, or holds <see cref="DeployOrdering.MaxParked"/>
/// events already, does an early event go back on the queue (<see cref="ReconcilerOptions.DeferDelay"/>). A gap older
/// than <see cref="ReconcilerOptions.DeployGapTimeout"/> is given up by the next event or by the resync timer
/// (<see cref="ReleaseAsync"/>).
/// </summary>
internal sealed partial class DeployHandler(
    KubeObjects kube,
    EventQueue queue,
    RouterReconciler reconciler,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<DeployHandler> logger)
{
    public const string SequenceAnnotation = "deploy.meshfunctions.io/sequence";

    public const string ParkedAnnotation = "deploy.meshfunctions.io/parked";

    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var meshEvent = MeshEventCodec.Decode<DeployEvent>(body, MeshEventTypes.Deploy);
        Check(meshEvent.Id, meshEvent.Data);
        await OrderAsync(meshEvent.Data.Namespace, meshEvent.Data.Service, meshEvent, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The resync timer's part: applies a Router's parked events whose missing predecessors have timed out.</summary>
    public Task ReleaseAsync(JsonObject routerObject, CancellationToken cancellationToken) =>
        Parked(routerObject).Count == 0
            ? Task.CompletedTask
            : OrderAsync(KubeObjects.Namespace(routerObject), KubeObjects.Name(routerObject), null, default, cancellationToken);

    private async Task OrderAsync(string ns, string service, MeshEvent<DeployEvent>? meshEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var routerObject = await kube.GetAsync(KubeKind.Router, ns, service, cancellationToken).ConfigureAwait(false);
            var last = Sequence(routerObject);
            var decision = DeployOrdering.Decide(last, Parked(routerObject), meshEvent, time.GetUtcNow(), options.Value.DeployGapTimeout);
            if (routerObject is null && decision.Kind == DeployOrderKind.Park)
            {
                // Nothing to park on yet: the event that creates the Router is still to come.
                decision = decision with { Kind = DeployOrderKind.Defer };
            }

            switch (decision.Kind)
            {
                case DeployOrderKind.Stale or DeployOrderKind.Duplicate:
                    if (routerObject is not null && TransitionLease.Read(routerObject)?.Origin == meshEvent!.Id)
                    {
                        // The redelivery of the event that applied a coalesced run and claimed the transition (it failed
                        // or its instance died mid-phase): its sequence is below the Router's, but the transition is its own.
                        await reconciler.ReconcileAsync(ns, service, new ReconcileTrigger(meshEvent.Id), cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    Log.Stale(logger, meshEvent!.Id, ns, service, meshEvent.Data.Sequence, last);
                    return;
                case DeployOrderKind.Waiting:
                    return;
                case DeployOrderKind.Current:
                    // Already applied to the Router (a duplicate, or a retry after a failed transition): only reconcile.
                    await reconciler.ReconcileAsync(ns, service, new ReconcileTrigger(meshEvent!.Id), cancellationToken).ConfigureAwait(false);
                    return;
                case DeployOrderKind.Defer:
                    Log.Deferred(logger, meshEvent!.Id, ns, service, meshEvent.Data.Sequence, last);
                    await queue.SendAsync(MeshEventQueues.DeployEvents, body, options.Value.DeferDelay, cancellationToken).ConfigureAwait(false);
                    return;
                case DeployOrderKind.Park:
                    try
                    {
                        await WriteParkedAsync(routerObject!, decision.Parked, cancellationToken).ConfigureAwait(false);
                    }
                    catch (KubeConflictException) when (attempt < 10)
                    {
                        continue;
                    }

                    Log.Parked(logger, meshEvent!.Id, ns, service, meshEvent.Data.Sequence, last);
                    return;
            }

            if (decision.GapGivenUp)
            {
                Log.GapGivenUp(logger, ns, service, decision.Apply[0].Data.Sequence, last);
            }

            var router = routerObject is null ? null : (Router?)ManifestParser.Bind(routerObject, typeof(Router), string.Empty, []);
            if (routerObject is not null && router is null)
            {
                throw new InvalidOperationException($"Router {ns}/{service} is invalid; fix it before deploying");
            }

            var (spec, problems, applied) = Apply(router?.Spec, decision.Apply);
            if (routerObject is null && applied == 0)
            {
                // Bad input and nothing to record it on: fail the message (it ends in the poison queue with this text).
                throw new ArgumentException(string.Join("; ", problems));
            }

            var newest = decision.Apply[^1];
            try
            {
                await WriteAsync(routerObject, ns, service, spec, decision.LastSequence(last), decision.Parked, applied > 0, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException) when (attempt < 10)
            {
                continue;
            }

            if (decision.Apply.Count > 1)
            {
                Log.Coalesced(logger, ns, service, decision.Apply.Count, decision.LastSequence(last));
            }

            if (applied > 0)
            {
                // The trigger is the message being handled (its redelivery takes the transition back), else the newest applied event.
                await reconciler.ReconcileAsync(ns, service, new ReconcileTrigger(meshEvent?.Id ?? newest.Id), cancellationToken).ConfigureAwait(false);
            }

            if (problems.Count > 0)
            {
                // The sequence moved on (so later events are not held up); the Router says what was wrong.
                var problem = string.Join("; ", problems);
                Log.Rejected(logger, newest.Id, ns, service, problem);
                await reconciler.ReportFailureAsync(ns, service, "InvalidDeployEvent", problem, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
    }

    /// <summary>Folds <paramref name="events"/> into the spec; an event that cannot apply is skipped and named in the problems.</summary>
    private static (RouterSpec Spec, List<string> Problems, int Applied) Apply(RouterSpec? current, IReadOnlyList<MeshEvent<DeployEvent>> events)
    {
        var problems = new List<string>();
        var applied = 0;
        var spec = current;
        foreach (var e in events)
        {
            var deploy = e.Data;
            try
            {
                var before = spec ?? new RouterSpec
                {
                    Port = deploy.Port ?? throw new ArgumentException($"Router {deploy.Namespace}/{deploy.Service} does not exist and the event has no port to create it with"),
                    Subsets = [new RouterSubset { Branch = Router.MasterBranch }],
                };
                var next = RouterDeployments.Apply(before, deploy);
                var errors = new Router { Metadata = new ObjectMeta { Name = deploy.Service, Namespace = deploy.Namespace }, Spec = next }
                    .Validate().Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
                if (errors.Count > 0)
                {
                    throw new ArgumentException(string.Join("; ", errors));
                }

                spec = next;
                applied++;
            }
            catch (ArgumentException ex)
            {
                problems.Add(spec is null
                    ? $"deploy event {e.Id}: {ex.Message}"
                    : $"deploy event {e.Id} (sequence {deploy.Sequence}) was not applied: {ex.Message}");
            }
        }

        return (spec ?? new RouterSpec(), problems, applied);
    }

    private static void Check(string id, DeployEvent deploy)
    {
        var problems = new List<string>();
        if (!Names.IsDns1123Label(deploy.Namespace))
        {
            problems.Add($"namespace '{deploy.Namespace}' is not a namespace name");
        }

        if (!Names.IsDns1123Label(deploy.Service))
        {
            problems.Add($"service '{deploy.Service}' is not a Router name (DNS-1123 label)");
        }

        if (!Names.IsDns1123Label(deploy.Branch))
        {
            problems.Add($"branch '{deploy.Branch}' is not a branch name (DNS-1123 label)");
        }

        if (deploy.Sequence < 1)
        {
            problems.Add($"sequence must be 1 or more, got {deploy.Sequence}");
        }

        if (problems.Count > 0)
        {
            throw new MeshEventFormatException($"deploy event {id}: {string.Join("; ", problems)}");
        }
    }

    private static long Sequence(JsonObject? router) =>
        (string?)router?["metadata"]?["annotations"]?[SequenceAnnotation] is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static IReadOnlyList<MeshEvent<DeployEvent>> Parked(JsonObject? router) =>
        DeployOrdering.Parse((string?)router?["metadata"]?["annotations"]?[ParkedAnnotation]);

    private Task WriteParkedAsync(JsonObject routerObject, IReadOnlyList<MeshEvent<DeployEvent>> parked, CancellationToken cancellationToken) =>
        kube.PatchAsync(KubeKind.Router, KubeObjects.Namespace(routerObject), KubeObjects.Name(routerObject), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = routerObject["metadata"]?["resourceVersion"]?.DeepClone(),
                ["annotations"] = new JsonObject { [ParkedAnnotation] = DeployOrdering.Format(parked) },
            },
        }, cancellationToken);

    private async Task WriteAsync(JsonObject? routerObject, string ns, string service, RouterSpec spec, long lastSequence, IReadOnlyList<MeshEvent<DeployEvent>> parked, bool specChanged, CancellationToken cancellationToken)
    {
        var sequence = lastSequence.ToString(CultureInfo.InvariantCulture);
        var specJson = JsonSerializer.SerializeToNode(spec, ManifestParser.SerializerOptions)!.AsObject();
        if (routerObject is null)
        {
            var annotations = new JsonObject { [SequenceAnnotation] = sequence };
            if (DeployOrdering.Format(parked) is { } parkedText)
            {
                annotations[ParkedAnnotation] = parkedText;
            }

            var created = new JsonObject
            {
                ["apiVersion"] = Router.ApiVersionValue,
                ["kind"] = Router.KindValue,
                ["metadata"] = new JsonObject
                {
                    ["name"] = service,
                    ["namespace"] = ns,
                    ["annotations"] = annotations,
                },
                ["spec"] = specJson,
            };
            await kube.CreateAsync(KubeKind.Router, created, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only the branch list (the deploy pipeline's field) and our annotations; the rest of the Router is its owner's.
        // A merge patch's null removes the parked annotation once nothing is parked.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = routerObject["metadata"]?["resourceVersion"]?.DeepClone(),
                ["annotations"] = new JsonObject { [SequenceAnnotation] = sequence, [ParkedAnnotation] = DeployOrdering.Format(parked) },
            },
        };
        if (specChanged)
        {
            patch["spec"] = new JsonObject { ["subsets"] = specJson["subsets"]?.DeepClone() };
        }

        await kube.PatchAsync(KubeKind.Router, ns, service, patch, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} already applied (last {Last}); ignored")]
        public static partial void Stale(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} waits for the ones after {Last}")]
        public static partial void Deferred(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "deploy events for {Namespace}/{Service}: sequence {Sequence} applied although the ones after {Last} never came")]
        public static partial void GapGivenUp(ILogger logger, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "deploy event {Id} for {Namespace}/{Service} rejected: {Problem}")]
        public static partial void Rejected(ILogger logger, string id, string @namespace, string service, string problem);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} parked on the Router until the ones after {Last} come")]
        public static partial void Parked(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "deploy events for {Namespace}/{Service}: {Count} events applied in one write, up to sequence {Sequence}")]
        public static partial void Coalesced(ILogger logger, string @namespace, string service, int count, long sequence);
    }
}

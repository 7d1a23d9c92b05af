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
/// deploy-events: applies a <see cref="DeployEvent"/> to its Router (core's <see cref="RouterDeployments"/>) exactly once
/// and in sequence order, then reconciles. The last applied sequence lives on the Router
/// (<see cref="SequenceAnnotation"/>) and moves in the same conditional write as the spec, so a duplicate or stale event
/// is a no-op on every instance; an event that skips a number goes back on the queue until the gap fills or
/// <see cref="ReconcilerOptions.DeployGapTimeout"/> passes.
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

    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var meshEvent = MeshEventCodec.Decode<DeployEvent>(body, MeshEventTypes.Deploy);
        var deploy = meshEvent.Data;
        Check(meshEvent.Id, deploy);
        for (var attempt = 0; ; attempt++)
        {
            var routerObject = await kube.GetAsync(KubeKind.Router, deploy.Namespace, deploy.Service, cancellationToken).ConfigureAwait(false);
            var last = Sequence(routerObject);
            if (deploy.Sequence < last)
            {
                Log.Stale(logger, meshEvent.Id, deploy.Namespace, deploy.Service, deploy.Sequence, last);
                return;
            }

            if (deploy.Sequence == last)
            {
                // Already applied to the Router (a duplicate, or a retry after a failed transition): only reconcile.
                break;
            }

            var age = time.GetUtcNow() - meshEvent.Time;
            if (deploy.Sequence > last + 1)
            {
                if (age < options.Value.DeployGapTimeout)
                {
                    Log.Deferred(logger, meshEvent.Id, deploy.Namespace, deploy.Service, deploy.Sequence, last);
                    await queue.SendAsync(MeshEventQueues.DeployEvents, body, options.Value.DeferDelay, cancellationToken).ConfigureAwait(false);
                    return;
                }

                Log.GapGivenUp(logger, meshEvent.Id, deploy.Namespace, deploy.Service, deploy.Sequence, last);
            }

            var router = routerObject is null ? null : (Router?)ManifestParser.Bind(routerObject, typeof(Router), string.Empty, []);
            if (routerObject is not null && router is null)
            {
                throw new InvalidOperationException($"Router {deploy.Namespace}/{deploy.Service} is invalid; fix it before deploying");
            }

            RouterSpec spec;
            string? problem = null;
            try
            {
                var current = router?.Spec ?? new RouterSpec
                {
                    Port = deploy.Port ?? throw new ArgumentException($"Router {deploy.Namespace}/{deploy.Service} does not exist and the event has no port to create it with"),
                    Subsets = [new RouterSubset { Branch = Router.MasterBranch }],
                };
                spec = RouterDeployments.Apply(current, deploy);
                var errors = new Router { Metadata = new ObjectMeta { Name = deploy.Service, Namespace = deploy.Namespace }, Spec = spec }
                    .Validate().Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
                if (errors.Count > 0)
                {
                    problem = string.Join("; ", errors);
                    spec = current;
                }
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
                spec = router?.Spec ?? new RouterSpec();
            }

            if (problem is not null && routerObject is null)
            {
                // Bad input and nothing to record it on: fail the message (it ends in the poison queue with this text).
                throw new ArgumentException($"deploy event {meshEvent.Id}: {problem}");
            }

            try
            {
                await WriteAsync(routerObject, deploy, spec, problem is null, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException) when (attempt < 10)
            {
                continue;
            }

            if (problem is not null)
            {
                // The sequence moved on (so later events are not held up); the Router says what was wrong.
                Log.Rejected(logger, meshEvent.Id, deploy.Namespace, deploy.Service, problem);
                await reconciler.ReportFailureAsync(deploy.Namespace, deploy.Service, "InvalidDeployEvent", $"deploy event {meshEvent.Id} (sequence {deploy.Sequence}) was not applied: {problem}", cancellationToken).ConfigureAwait(false);
                return;
            }

            break;
        }

        await reconciler.ReconcileAsync(deploy.Namespace, deploy.Service, new ReconcileTrigger(meshEvent.Id), cancellationToken).ConfigureAwait(false);
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

    private async Task WriteAsync(JsonObject? routerObject, DeployEvent deploy, RouterSpec spec, bool specChanged, CancellationToken cancellationToken)
    {
        var sequence = deploy.Sequence.ToString(CultureInfo.InvariantCulture);
        var specJson = JsonSerializer.SerializeToNode(spec, ManifestParser.SerializerOptions)!.AsObject();
        if (routerObject is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = Router.ApiVersionValue,
                ["kind"] = Router.KindValue,
                ["metadata"] = new JsonObject
                {
                    ["name"] = deploy.Service,
                    ["namespace"] = deploy.Namespace,
                    ["annotations"] = new JsonObject { [SequenceAnnotation] = sequence },
                },
                ["spec"] = specJson,
            };
            await kube.CreateAsync(KubeKind.Router, created, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only the branch list (the deploy pipeline's field) and our annotation; the rest of the Router is its owner's.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = routerObject["metadata"]?["resourceVersion"]?.DeepClone(),
                ["annotations"] = new JsonObject { [SequenceAnnotation] = sequence },
            },
        };
        if (specChanged)
        {
            patch["spec"] = new JsonObject { ["subsets"] = specJson["subsets"]?.DeepClone() };
        }

        await kube.PatchAsync(KubeKind.Router, deploy.Namespace, deploy.Service, patch, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} already applied (last {Last}); ignored")]
        public static partial void Stale(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} waits for the ones after {Last}")]
        public static partial void Deferred(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "deploy event {Id} for {Namespace}/{Service}: sequence {Sequence} applied although the ones after {Last} never came")]
        public static partial void GapGivenUp(ILogger logger, string id, string @namespace, string service, long sequence, long last);

        [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "deploy event {Id} for {Namespace}/{Service} rejected: {Problem}")]
        public static partial void Rejected(ILogger logger, string id, string @namespace, string service, string problem);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;
using MeshFunctions.Functions.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// consul-events: every service Consul knows gets a default Router (master branch, no versions) in
/// <see cref="ReconcilerOptions.ConsulRouterNamespace"/>; an existing Router is never changed or deleted, only the Consul
/// index it was last seen at is recorded (<see cref="IndexAnnotation"/>) so an older event is a no-op.
/// </summary>
internal sealed partial class ConsulHandler(KubeObjects kube, RouterReconciler reconciler, IOptions<ReconcilerOptions> options, ILogger<ConsulHandler> logger)
{
    public const string IndexAnnotation = "consul.meshfunctions.io/index";

    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var meshEvent = MeshEventCodec.Decode<ConsulServiceEvent>(body, MeshEventTypes.ConsulService);
        var data = meshEvent.Data;
        var ns = options.Value.ConsulRouterNamespace;
        if (!Names.IsDns1123Label(data.Service))
        {
            // A Consul name Kubernetes cannot carry (upper case, '_', …): nothing to create; say so once.
            Log.NotARouterName(logger, meshEvent.Id, data.Service);
            return;
        }

        var index = data.ConsulIndex.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var router = await kube.GetAsync(KubeKind.Router, ns, data.Service, cancellationToken).ConfigureAwait(false);
            try
            {
                if (router is null)
                {
                    if (data.Change == ConsulServiceChange.Disappeared)
                    {
                        return;
                    }

                    await kube.CreateAsync(KubeKind.Router, DefaultRouter(ns, data.Service, index), cancellationToken).ConfigureAwait(false);
                    Log.Created(logger, meshEvent.Id, ns, data.Service);
                    break;
                }

                var seen = (string?)router["metadata"]?["annotations"]?[IndexAnnotation] is { } text && ulong.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (data.ConsulIndex <= seen)
                {
                    return;
                }

                // Never delete or rewrite a Router because of Consul: record the index only.
                var patch = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["resourceVersion"] = router["metadata"]?["resourceVersion"]?.DeepClone(),
                        ["annotations"] = new JsonObject { [IndexAnnotation] = index },
                    },
                };
                await kube.PatchAsync(KubeKind.Router, ns, data.Service, patch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeConflictException) when (attempt < 10)
            {
            }
        }

        await reconciler.ReconcileAsync(ns, data.Service, new ReconcileTrigger(meshEvent.Id), cancellationToken).ConfigureAwait(false);
    }

    private JsonObject DefaultRouter(string ns, string service, string index) => new()
    {
        ["apiVersion"] = Router.ApiVersionValue,
        ["kind"] = Router.KindValue,
        ["metadata"] = new JsonObject
        {
            ["name"] = service,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject { [IndexAnnotation] = index },
        },
        ["spec"] = new JsonObject
        {
            ["port"] = options.Value.DefaultRouterPort,
            ["subsets"] = new JsonArray(new JsonObject { ["branch"] = Router.MasterBranch }),
        },
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "consul event {Id}: created the default Router {Namespace}/{Service}")]
        public static partial void Created(ILogger logger, string id, string @namespace, string service);

        [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "consul event {Id}: service '{Service}' is not a valid Router name (DNS-1123 label); no Router created")]
        public static partial void NotARouterName(ILogger logger, string id, string service);
    }
}

using MeshFunctions.Functions.Kubernetes;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Functions.Functions;

/// <summary>
/// Timer: reconciles every Router, repairing drift and catching lost events (parked deploy events whose missing
/// predecessors timed out are applied first). One failing Router is logged and skipped;
/// the pass goes on.
/// </summary>
public sealed partial class ResyncFunction
{
    private readonly KubeObjects _kube;
    private readonly RouterReconciler _reconciler;
    private readonly DeployHandler _deploys;
    private readonly RlsConfigState _rls;
    private readonly ILogger<ResyncFunction> _logger;

    public ResyncFunction(IServiceProvider services, ILogger<ResyncFunction> logger)
    {
        // The worker creates function classes with public constructors only; the reconciler is internal.
        _kube = services.GetRequiredService<KubeObjects>();
        _reconciler = services.GetRequiredService<RouterReconciler>();
        _deploys = services.GetRequiredService<DeployHandler>();
        _rls = services.GetRequiredService<RlsConfigState>();
        _logger = logger;
    }

    [Function("Resync")]
    public async Task RunAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var trigger = new ReconcileTrigger("resync:" + Guid.NewGuid().ToString("N"));

        // Compare the RLS ConfigMap with the RateLimits again, even if none changed (someone may have edited it).
        _rls.Forget();
        foreach (var router in await _kube.ListAsync(KubeKind.Router, null, null, cancellationToken).ConfigureAwait(false))
        {
            var ns = KubeObjects.Namespace(router);
            var name = KubeObjects.Name(router);
            try
            {
                // Deploy events parked behind a number that never came apply once their gap times out.
                await _deploys.ReleaseAsync(router, cancellationToken).ConfigureAwait(false);
                await _reconciler.ReconcileAsync(ns, name, trigger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RouterFailed(_logger, ns, name, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "resync of Router {Namespace}/{Name} failed; the pass goes on")]
        public static partial void RouterFailed(ILogger logger, string @namespace, string name, Exception exception);
    }
}

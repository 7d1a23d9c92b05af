using System.Text;
using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>deploy-events</c>: translates the message into a call of <see cref="DeployHandler"/>; on the last attempt the Router says why it failed.</summary>
public sealed class DeployEventsFunction
{
    private readonly DeployHandler _handler;
    private readonly FailureReporter _failures;
    private readonly ReconcilerOptions _options;

    public DeployEventsFunction(IServiceProvider services)
    {
        // The worker creates function classes with public constructors only; the handlers are internal.
        _handler = services.GetRequiredService<DeployHandler>();
        _failures = services.GetRequiredService<FailureReporter>();
        _options = services.GetRequiredService<IOptions<ReconcilerOptions>>().Value;
    }

    [Function("DeployEvents")]
    public async Task RunAsync(
        [QueueTrigger(MeshEventQueues.DeployEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        try
        {
            await _handler.HandleAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (dequeueCount >= _options.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await _failures.ReportAsync(MeshEventQueues.DeployEvents, message, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}

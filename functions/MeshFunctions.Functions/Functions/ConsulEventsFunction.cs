using System.Text;
using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>consul-events</c>: translates the message into a call of <see cref="ConsulHandler"/>; on the last attempt the Router says why it failed.</summary>
public sealed class ConsulEventsFunction
{
    private readonly ConsulHandler _handler;
    private readonly FailureReporter _failures;
    private readonly ReconcilerOptions _options;

    public ConsulEventsFunction(IServiceProvider services)
    {
        // The worker creates function classes with public constructors only; the handlers are internal.
        _handler = services.GetRequiredService<ConsulHandler>();
        _failures = services.GetRequiredService<FailureReporter>();
        _options = services.GetRequiredService<IOptions<ReconcilerOptions>>().Value;
    }

    [Function("ConsulEvents")]
    public async Task RunAsync(
        [QueueTrigger(MeshEventQueues.ConsulEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        try
        {
            await _handler.HandleAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (dequeueCount >= _options.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await _failures.ReportAsync(MeshEventQueues.ConsulEvents, message, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}

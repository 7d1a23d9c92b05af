using System.Text;
using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>dependency-events</c>: translates the message into a call of <see cref="DependencyHandler"/>; on the last attempt the Router says why it failed.</summary>
public sealed class DependencyEventsFunction
{
    private readonly DependencyHandler _handler;
    private readonly FailureReporter _failures;
    private readonly ReconcilerOptions _options;

    public DependencyEventsFunction(IServiceProvider services)
    {
        // The worker creates function classes with public constructors only; the handlers are internal.
        _handler = services.GetRequiredService<DependencyHandler>();
        _failures = services.GetRequiredService<FailureReporter>();
        _options = services.GetRequiredService<IOptions<ReconcilerOptions>>().Value;
    }

    [Function("DependencyEvents")]
    public async Task RunAsync(
        [QueueTrigger(MeshEventQueues.DependencyEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        try
        {
            await _handler.HandleAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (dequeueCount >= _options.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await _failures.ReportAsync(MeshEventQueues.DependencyEvents, message, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}

using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>dependency-events</c>: hands the message to <see cref="DependencyHandler"/>.</summary>
/// <remarks>The worker creates function classes through public constructors; the handlers are internal, so they are resolved here.</remarks>
public sealed class DependencyEventsFunction(IServiceProvider services)
{
    [Function("DependencyEvents")]
    public Task RunAsync(
        [QueueTrigger(MeshEventQueues.DependencyEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        services.GetRequiredService<EventRunner>().RunAsync(MeshEventQueues.DependencyEvents, message, dequeueCount, services.GetRequiredService<DependencyHandler>().HandleAsync, cancellationToken);
}

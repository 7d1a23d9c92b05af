using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>consul-events</c>: hands the message to <see cref="ConsulHandler"/>.</summary>
/// <remarks>The worker creates function classes through public constructors; the handlers are internal, so they are resolved here.</remarks>
public sealed class ConsulEventsFunction(IServiceProvider services)
{
    [Function("ConsulEvents")]
    public Task RunAsync(
        [QueueTrigger(MeshEventQueues.ConsulEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        services.GetRequiredService<EventRunner>().RunAsync(MeshEventQueues.ConsulEvents, message, dequeueCount, services.GetRequiredService<ConsulHandler>().HandleAsync, cancellationToken);
}

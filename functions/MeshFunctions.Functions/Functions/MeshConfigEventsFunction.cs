using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>mesh-config-events (and continuations)</c>: hands the message to <see cref="MeshConfigHandler"/>.</summary>
/// <remarks>The worker creates function classes through public constructors; the handlers are internal, so they are resolved here.</remarks>
public sealed class MeshConfigEventsFunction(IServiceProvider services)
{
    [Function("MeshConfigEvents")]
    public Task RunAsync(
        [QueueTrigger(MeshEventQueues.MeshConfigEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        services.GetRequiredService<EventRunner>().RunAsync(MeshEventQueues.MeshConfigEvents, message, dequeueCount, services.GetRequiredService<MeshConfigHandler>().HandleAsync, cancellationToken);
}

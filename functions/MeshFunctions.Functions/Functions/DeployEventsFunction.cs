using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Functions.Functions;

/// <summary>Queue <c>deploy-events</c>: hands the message to <see cref="DeployHandler"/>.</summary>
/// <remarks>The worker creates function classes through public constructors; the handlers are internal, so they are resolved here.</remarks>
public sealed class DeployEventsFunction(IServiceProvider services)
{
    [Function("DeployEvents")]
    public Task RunAsync(
        [QueueTrigger(MeshEventQueues.DeployEvents, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        services.GetRequiredService<EventRunner>().RunAsync(MeshEventQueues.DeployEvents, message, dequeueCount, services.GetRequiredService<DeployHandler>().HandleAsync, cancellationToken);
}

namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>A queue-triggered function with its queue name and connection resolved from the app settings.</summary>
internal sealed record QueueTrigger(WorkerFunction Function, string QueueName, string ConnectionString);

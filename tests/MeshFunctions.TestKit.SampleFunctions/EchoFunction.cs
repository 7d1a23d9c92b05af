using Microsoft.Azure.Functions.Worker;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>Echoes each message to an output queue, binding trigger metadata by parameter name.</summary>
public sealed class EchoFunction(Greeter greeter, InvocationJournal journal)
{
    /// <summary>Reads <c>%SampleEchoQueue%</c>, writes "echo:&lt;text&gt;" to <c>%SampleEchoOutQueue%</c>.</summary>
    [Function("Echo")]
    [QueueOutput("%SampleEchoOutQueue%", Connection = "AzureWebJobsStorage")]
    public string Run(
        [QueueTrigger("%SampleEchoQueue%", Connection = "AzureWebJobsStorage")] string message,
        string id,
        long dequeueCount,
        DateTimeOffset insertionTime)
    {
        journal.Record(new JournalEntry("Echo", message, id, dequeueCount, insertionTime));
        return greeter.Greet(message);
    }
}

using Microsoft.Azure.Functions.Worker;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>Fails the first <see cref="FlakyOrder.FailTimes"/> attempts of each message, to exercise retries and poison.</summary>
public sealed class FlakyFunction(InvocationJournal journal, TimeProvider time)
{
    /// <summary>Throws while the dequeue count is not above <see cref="FlakyOrder.FailTimes"/>.</summary>
    [Function("Flaky")]
    public async Task RunAsync(
        [QueueTrigger("%SampleFlakyQueue%", Connection = "AzureWebJobsStorage")] FlakyOrder order,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        journal.Record(new JournalEntry("Flaky", order.Name, id, dequeueCount, time.GetUtcNow()));
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (dequeueCount <= order.FailTimes)
        {
            throw new InvalidOperationException($"attempt {dequeueCount} of '{order.Name}' fails on purpose");
        }
    }
}

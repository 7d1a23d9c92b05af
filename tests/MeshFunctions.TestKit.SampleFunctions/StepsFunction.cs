using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>
/// Waits between steps the serverless way: instead of sleeping it enqueues the next step with a
/// visibility delay on its own queue (DESIGN §5, make-before-break waits).
/// </summary>
public sealed class StepsFunction(QueueServiceClient queues, IConfiguration configuration, InvocationJournal journal, TimeProvider time)
{
    /// <summary>Records the step and, unless it is the last, enqueues the next one delayed.</summary>
    [Function("Steps")]
    public async Task RunAsync(
        [QueueTrigger("%SampleStepsQueue%", Connection = "AzureWebJobsStorage")] StepMessage step,
        string id,
        CancellationToken cancellationToken)
    {
        journal.Record(new JournalEntry("Steps", step.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), id, 0, time.GetUtcNow()));
        if (step.Step >= step.LastStep)
        {
            return;
        }

        var queueName = configuration["SampleStepsQueue"]
            ?? throw new InvalidOperationException("SampleStepsQueue is not configured.");
        var next = step with { Step = step.Step + 1 };
        await queues.GetQueueClient(queueName).SendMessageAsync(
            JsonSerializer.Serialize(next),
            visibilityTimeout: TimeSpan.FromSeconds(step.DelaySeconds),
            cancellationToken: cancellationToken);
    }
}

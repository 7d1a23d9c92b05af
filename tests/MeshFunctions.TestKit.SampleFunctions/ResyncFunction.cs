using Microsoft.Azure.Functions.Worker;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>A timer-triggered full resync, the backstop for lost events.</summary>
public sealed class ResyncFunction(InvocationJournal journal, TimeProvider time)
{
    /// <summary>Runs every five minutes; tests fire it on demand.</summary>
    [Function("Resync")]
    public void Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer)
    {
        journal.Record(new JournalEntry("Resync", timer.IsPastDue ? "past-due" : "on-time", string.Empty, 0, time.GetUtcNow()));
    }
}

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>One invocation seen by <see cref="InvocationJournal"/>.</summary>
/// <param name="Function">Function name as in functions.metadata.</param>
/// <param name="Payload">The bound trigger value, as text.</param>
/// <param name="MessageId">Queue message id (empty for timers).</param>
/// <param name="DequeueCount">Dequeue count bound from trigger metadata (0 for timers).</param>
/// <param name="At">When the function ran; for Echo the message insertion time, which proves that binding.</param>
public sealed record JournalEntry(string Function, string Payload, string MessageId, long DequeueCount, DateTimeOffset At);

namespace MeshFunctions.TestKit.Functions;

/// <summary>One delivery handled by <see cref="FunctionsHost"/>.</summary>
/// <param name="Function">Function name from functions.metadata.</param>
/// <param name="Queue">Queue the message came from; empty for timers.</param>
/// <param name="MessageId">Queue message id; empty for timers.</param>
/// <param name="DequeueCount">Dequeue count of this delivery (1 on the first attempt); 0 for timers.</param>
/// <param name="Outcome">What the harness did with the message.</param>
/// <param name="Error">The exception the function threw, if it did.</param>
public sealed record FunctionInvocation(string Function, string Queue, string MessageId, long DequeueCount, FunctionOutcome Outcome, Exception? Error);

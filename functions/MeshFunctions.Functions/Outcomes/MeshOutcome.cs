namespace MeshFunctions.Functions.Outcomes;

/// <summary>One outcome, for CI gates and other systems (JSON, camelCase).</summary>
/// <param name="EventId">The event (or continuation) that led to it; the message id on Service Bus.</param>
/// <param name="Namespace">The Router's namespace.</param>
/// <param name="Router">The Router's name (with the namespace, the session id on Service Bus).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Step">The transition phase number (0 when none).</param>
/// <param name="Message">The steps applied, or why it failed.</param>
/// <param name="Time">When.</param>
public sealed record MeshOutcome(string EventId, string Namespace, string Router, MeshOutcomeKind Kind, long Step, string Message, DateTimeOffset Time);

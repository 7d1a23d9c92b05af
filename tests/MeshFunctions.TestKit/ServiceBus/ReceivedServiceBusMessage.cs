namespace MeshFunctions.TestKit.ServiceBus;

/// <summary>One message the stand-in accepted into an entity (duplicates dropped by detection are not here).</summary>
/// <param name="Entity">The topic or queue (the sender link's target address).</param>
/// <param name="MessageId">AMQP <c>message-id</c> (<c>ServiceBusMessage.MessageId</c>).</param>
/// <param name="SessionId">AMQP <c>group-id</c> (<c>ServiceBusMessage.SessionId</c>).</param>
/// <param name="Subject">AMQP <c>subject</c>.</param>
/// <param name="ContentType">AMQP <c>content-type</c>.</param>
/// <param name="Body">The data section(s), concatenated.</param>
/// <param name="ApplicationProperties">Application properties, values as decoded (string, long, int, bool, …).</param>
public sealed record ReceivedServiceBusMessage(
    string Entity,
    string? MessageId,
    string? SessionId,
    string? Subject,
    string? ContentType,
    BinaryData Body,
    IReadOnlyDictionary<string, object?> ApplicationProperties);

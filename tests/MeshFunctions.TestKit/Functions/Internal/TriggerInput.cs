using Azure.Storage.Queues.Models;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>What a trigger delivers: a decoded queue message, or nothing for a timer.</summary>
internal sealed record TriggerInput(QueueMessage? Message)
{
    /// <summary>The queue trigger's metadata, named as the host sends it (parameters bind to it by name, ignoring case).</summary>
    public object? Metadata(string name) => Message is null ? null : name.ToUpperInvariant() switch
    {
        "ID" => Message.MessageId,
        "DEQUEUECOUNT" => Message.DequeueCount,
        "INSERTIONTIME" => Message.InsertedOn,
        "EXPIRATIONTIME" => Message.ExpiresOn,
        "NEXTVISIBLETIME" => Message.NextVisibleOn,
        "POPRECEIPT" => Message.PopReceipt,
        "QUEUETRIGGER" => Message.Body.ToString(),
        _ => null,
    };
}

using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>
/// Queue clients by connection, queue and encoding, version-pinned for Azurite. A base64 client that receives a message
/// that is not base64 does what the storage extension does: copies it unchanged to <c>&lt;queue&gt;-poison</c>, deletes it,
/// and reports it through <paramref name="undecodable"/> (the function is not run).
/// </summary>
internal sealed class QueueClientCache(Action<string, QueueMessage> undecodable)
{
    private readonly ConcurrentDictionary<(string Connection, string Queue, bool Encoded), QueueClient> _clients = new();

    public QueueClient Get(string connection, string queue, bool encoded) =>
        _clients.GetOrAdd((connection, queue, encoded), key =>
        {
            var options = AzuriteServer.ClientOptions(key.Encoded ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None);
            if (key.Encoded)
            {
                options.MessageDecodingFailed += args => MoveUndecodableAsync(key.Connection, args);
            }

            return new QueueClient(key.Connection, key.Queue, options);
        });

    private async Task MoveUndecodableAsync(string connection, QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        var poison = Get(connection, args.Queue.Name + "-poison", encoded: false);
        await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body.ToString(), cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await Get(connection, args.Queue.Name, encoded: false).DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
        undecodable(args.Queue.Name, message);
    }
}

using Azure.Storage.Queues;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Functions.Queues;

/// <summary>
/// Sends the messages the functions enqueue themselves: continuations (the make-before-break wait, as a
/// <see cref="MeshConfigEvent"/> with a visibility delay) and deploy events put back to wait for a missing sequence
/// number. Base64, like every message the queue trigger reads.
/// </summary>
internal sealed class EventQueue(QueueServiceClient queues, TimeProvider time)
{
    /// <summary>CloudEvents source of continuation messages.</summary>
    public static readonly Uri ContinuationSource = new("/meshfunctions/functions/continuation", UriKind.Relative);

    private const string ContinuationPrefix = "continue:";

    /// <summary>The transition a continuation event continues, or null for any other event.</summary>
    public static string? TransitionOf(string eventId) =>
        eventId.StartsWith(ContinuationPrefix, StringComparison.Ordinal) ? eventId[ContinuationPrefix.Length..].Split(':')[0] : null;

    /// <summary>Re-reconcile Router <paramref name="ns"/>/<paramref name="name"/> after <paramref name="delay"/>, on behalf of transition <paramref name="transitionId"/>.</summary>
    public Task SendContinuationAsync(string ns, string name, string transitionId, long step, TimeSpan delay, CancellationToken cancellationToken)
    {
        var meshEvent = new MeshEvent<MeshConfigEvent>(
            $"{ContinuationPrefix}{transitionId}:{step}",
            ContinuationSource,
            MeshEventTypes.MeshConfig,
            time.GetUtcNow(),
            ns + "/" + name,
            new MeshConfigEvent("Router", ns, name, "UPDATE", null));
        return SendAsync(MeshEventQueues.MeshConfigEvents, MeshEventCodec.Encode(meshEvent), delay, cancellationToken);
    }

    /// <summary>Puts <paramref name="body"/> on <paramref name="queue"/>, visible after <paramref name="delay"/> (rounded up to whole seconds).</summary>
    public async Task SendAsync(string queue, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken)
    {
        var seconds = Math.Ceiling(Math.Max(0, delay.TotalSeconds));
        await queues.GetQueueClient(queue)
            .SendMessageAsync(BinaryData.FromBytes(body), visibilityTimeout: TimeSpan.FromSeconds(seconds), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }
}

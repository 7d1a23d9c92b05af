using System.Threading.Channels;
using Azure.Storage.Queues;
using MeshFunctions.Core.Events;
using MeshFunctions.Discovery.Observability;

namespace MeshFunctions.Discovery.Events;

/// <summary>
/// Sends CloudEvents (core's <see cref="MeshEventCodec"/>) to Storage Queues, base64-encoded as the Functions
/// trigger expects, from a bounded in-memory channel so answering never waits on the queue service. A failed
/// send is retried with backoff; when the channel is full the oldest event is dropped (events are hints that
/// consumers reconcile idempotently, never the source of truth).
/// </summary>
internal sealed partial class EventSender : BackgroundService
{
    private readonly Channel<(string Queue, byte[] Body)> _pending = Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly QueueServiceClient _queues;
    private readonly DiscoveryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<EventSender> _logger;

    public EventSender(QueueServiceClient queues, DiscoveryMetrics metrics, TimeProvider time, ILogger<EventSender> logger)
    {
        _queues = queues;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public void Enqueue<T>(string queue, MeshEvent<T> meshEvent) => _pending.Writer.TryWrite((queue, MeshEventCodec.Encode(meshEvent)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (queue, body) in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    var client = _queues.GetQueueClient(queue);
                    if (created.Add(queue))
                    {
                        await client.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    }

                    await client.SendMessageAsync(BinaryData.FromBytes(body), cancellationToken: stoppingToken).ConfigureAwait(false);
                    _metrics.EventsPublished.WithLabels(queue).Inc();
                    break;
                }
                catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException or AggregateException)
                {
                    created.Remove(queue);
                    Log.SendFailed(_logger, queue, attempt, ex.Message);
                    var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(attempt, 8))) * (0.5 + (Random.Shared.NextDouble() / 2)));
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Sending an event to queue {Queue} failed (attempt {Attempt}): {Error}")]
        public static partial void SendFailed(ILogger logger, string queue, int attempt, string error);
    }
}

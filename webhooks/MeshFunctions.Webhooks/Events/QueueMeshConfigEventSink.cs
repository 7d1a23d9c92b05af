using System.Threading.Channels;
using Azure;
using Azure.Storage.Queues;
using MeshFunctions.Core.Events;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Events;

/// <summary>
/// Sends <c>mesh-config-events</c> CloudEvents (core's <see cref="MeshEventCodec"/>) to the Storage Queue, base64-encoded
/// as the Functions queue trigger expects. Admission only enqueues in memory (bounded; the oldest is dropped when full);
/// a background loop sends with retries. An event lost to a crash is covered by the reconciler's periodic full pass, and
/// an event for a write that never persisted is a no-op for it (it re-reads live state).
/// </summary>
internal sealed partial class QueueMeshConfigEventSink : BackgroundService, IMeshConfigEventSink
{
    private readonly Channel<MeshConfigEvent> _pending = Channel.CreateBounded<MeshConfigEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly QueueClient _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueMeshConfigEventSink> _logger;
    private readonly Uri _source = new("/webhooks/" + Environment.MachineName, UriKind.Relative);
    private long _sent;

    public QueueMeshConfigEventSink(IOptions<WebhookOptions> options, TimeProvider time, ILogger<QueueMeshConfigEventSink> logger)
    {
        // Azurite 3.37 lags the SDK's default service version; pin one both sides know.
        var clientOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        _queue = new QueueClient(options.Value.EventsConnectionString, MeshEventQueues.MeshConfigEvents, clientOptions);
        _time = time;
        _logger = logger;
    }

    /// <summary>Events sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Publish(MeshConfigEvent change) => _pending.Writer.TryWrite(change);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = false;
        await foreach (var change in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var body = MeshEventCodec.Encode(new MeshEvent<MeshConfigEvent>(
                Guid.NewGuid().ToString("N"), _source, MeshEventTypes.MeshConfig, _time.GetUtcNow(), $"{change.Namespace}/{change.Name}", change));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!created)
                    {
                        await _queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        created = true;
                    }

                    await _queue.SendMessageAsync(new BinaryData(body), cancellationToken: stoppingToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    break;
                }
                catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException && attempt < 5)
                {
                    Log.SendFailed(_logger, change.Kind, change.Namespace, change.Name, attempt, ex.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _time, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
                {
                    Log.Dropped(_logger, change.Kind, change.Namespace, change.Name, ex.Message);
                    break;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Sending mesh-config event for {Kind} {Namespace}/{Name} failed (attempt {Attempt}): {Reason}")]
        public static partial void SendFailed(ILogger logger, string kind, string @namespace, string name, int attempt, string reason);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Dropped mesh-config event for {Kind} {Namespace}/{Name} after retries: {Reason}")]
        public static partial void Dropped(ILogger logger, string kind, string @namespace, string name, string reason);
    }
}

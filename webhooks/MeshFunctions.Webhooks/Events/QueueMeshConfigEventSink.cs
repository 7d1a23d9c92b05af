using System.Threading.Channels;
using Azure.Storage.Queues;
using MeshFunctions.Core.Events;
using MeshFunctions.Webhooks.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Events;

/// <summary>
/// Sends <c>mesh-config-events</c> CloudEvents (core's <see cref="MeshEventCodec"/>) to the Storage Queue, base64-encoded
/// as the Functions queue trigger expects. Admission only puts the event in a bounded in-memory outbox
/// (<see cref="WebhookOptions.EventOutboxCapacity"/>); a background loop sends them in order and retries the oldest with a
/// doubling delay (up to <see cref="WebhookOptions.EventRetryMaxDelay"/>) for as long as the queue is unreachable, so a
/// storage outage or restart delays events but does not lose them. Only a full outbox drops (the oldest, counted); an
/// event lost to a crash of this process is covered by the reconciler's periodic full pass, and an event for a write that
/// never persisted is a no-op for it (it re-reads live state).
/// </summary>
internal sealed partial class QueueMeshConfigEventSink : BackgroundService, IMeshConfigEventSink
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Channel<MeshConfigEvent> _outbox;
    private readonly QueueClient _queue;
    private readonly TimeProvider _time;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger<QueueMeshConfigEventSink> _logger;
    private readonly TimeSpan _maxDelay;
    private readonly Uri _source = new("/webhooks/" + Environment.MachineName, UriKind.Relative);
    private long _sent;
    private long _dropped;

    public QueueMeshConfigEventSink(IOptions<WebhookOptions> options, TimeProvider time, WebhookMetrics metrics, ILogger<QueueMeshConfigEventSink> logger)
    {
        // Azurite 3.37 lags the SDK's default service version; pin one both sides know.
        var clientOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        _queue = new QueueClient(options.Value.EventsConnectionString, MeshEventQueues.MeshConfigEvents, clientOptions);
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _maxDelay = options.Value.EventRetryMaxDelay;
        _outbox = Channel.CreateBounded<MeshConfigEvent>(
            new BoundedChannelOptions(options.Value.EventOutboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    /// <summary>Events sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Events dropped because the outbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(MeshConfigEvent change)
    {
        if (_outbox.Writer.TryWrite(change))
        {
            _metrics.EventsPending.Inc();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = false;
        await foreach (var change in _outbox.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var body = new BinaryData(MeshEventCodec.Encode(new MeshEvent<MeshConfigEvent>(
                Guid.NewGuid().ToString("N"), _source, MeshEventTypes.MeshConfig, _time.GetUtcNow(), $"{change.Namespace}/{change.Name}", change)));
            var delay = FirstRetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!created)
                    {
                        await _queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        created = true;
                    }

                    await _queue.SendMessageAsync(body, cancellationToken: stoppingToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    _metrics.EventsSent.Inc();
                    _metrics.EventsPending.Dec();
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Any failure (refused, timed out, 5xx, queue missing) is retried: the loop must outlive the outage.
                    // The queue may have gone with its storage (an in-memory emulator restarted): create it again next time.
                    created = false;
                    Log.SendFailed(_logger, change.Kind, change.Namespace, change.Name, attempt, delay.TotalSeconds, ex.Message);
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxDelay.Ticks));
                }
            }
        }
    }

    private void OnDropped(MeshConfigEvent change)
    {
        Interlocked.Increment(ref _dropped);
        _metrics.EventsDropped.Inc();
        _metrics.EventsPending.Dec();
        Log.Dropped(_logger, change.Kind, change.Namespace, change.Name);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Sending mesh-config event for {Kind} {Namespace}/{Name} failed (attempt {Attempt}, next in {DelaySeconds} s): {Reason}")]
        public static partial void SendFailed(ILogger logger, string kind, string @namespace, string name, int attempt, double delaySeconds, string reason);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Dropped mesh-config event for {Kind} {Namespace}/{Name}: the outbox is full")]
        public static partial void Dropped(ILogger logger, string kind, string @namespace, string name);
    }
}

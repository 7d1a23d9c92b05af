using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Outcomes;

/// <summary>
/// Publishes outcomes to the Service Bus topic <see cref="ReconcilerOptions.OutcomesTopic"/>: session id = the Router
/// (<c>namespace/name</c>, so one consumer sees a Router's outcomes in order), message id = the event id with the kind and
/// step (a redelivered event repeats it and the broker's duplicate detection drops the copy; the outcomes of one event
/// stay distinct), subject = the kind. When the send fails after the client's retries (unreachable, token refused), the
/// outcome goes to the Storage Queue <see cref="ReconcilerOptions.OutcomesQueue"/> instead, so it is not lost.
/// </summary>
internal sealed partial class ServiceBusOutcomePublisher : IOutcomePublisher, IAsyncDisposable
{
    /// <summary>Service Bus limits message and session ids to 128 characters.</summary>
    private const int MaxIdLength = 128;

    private readonly ServiceBusClient _client;
    private readonly ServiceBusSender _sender;
    private readonly QueueOutcomePublisher _fallback;
    private readonly ILogger<ServiceBusOutcomePublisher> _logger;

    public ServiceBusOutcomePublisher(IOptions<ReconcilerOptions> options, QueueOutcomePublisher fallback, ILogger<ServiceBusOutcomePublisher> logger)
    {
        var settings = options.Value;
        _client = new ServiceBusClient(settings.OutcomesServiceBus, new ServiceBusClientOptions
        {
            RetryOptions = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(5), TryTimeout = TimeSpan.FromSeconds(30) },
        });
        _sender = _client.CreateSender(settings.OutcomesTopic);
        _fallback = fallback;
        _logger = logger;
    }

    public async Task PublishAsync(MeshOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await _sender.SendMessageAsync(ToMessage(outcome), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SendFailed(_logger, outcome.Namespace, outcome.Router, _sender.EntityPath, ex);
            await _fallback.PublishAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    internal static ServiceBusMessage ToMessage(MeshOutcome outcome)
    {
        var kind = JsonNamingPolicy.CamelCase.ConvertName(outcome.Kind.ToString());
        var message = new ServiceBusMessage(BinaryData.FromObjectAsJson(outcome, QueueOutcomePublisher.Json))
        {
            MessageId = Bounded($"{outcome.EventId}/{kind}/{outcome.Step}"),
            SessionId = Bounded($"{outcome.Namespace}/{outcome.Router}"),
            ContentType = "application/json",
            Subject = kind,
        };
        message.ApplicationProperties["eventId"] = outcome.EventId;
        message.ApplicationProperties["namespace"] = outcome.Namespace;
        message.ApplicationProperties["router"] = outcome.Router;
        message.ApplicationProperties["kind"] = kind;
        message.ApplicationProperties["step"] = outcome.Step;
        return message;
    }

    /// <summary>The id itself when it fits, else a prefix and the SHA-256 of the whole (stable, so duplicates still match).</summary>
    private static string Bounded(string id)
    {
        if (id.Length <= MaxIdLength)
        {
            return id;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return id[..(MaxIdLength - hash.Length - 1)] + "~" + hash;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "could not send the outcome for Router {Namespace}/{Router} to Service Bus topic {Topic}; it goes to the outcomes queue instead")]
        public static partial void SendFailed(ILogger logger, string @namespace, string router, string topic, Exception exception);
    }
}

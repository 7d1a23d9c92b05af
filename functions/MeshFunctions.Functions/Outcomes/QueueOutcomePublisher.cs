using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Outcomes;

/// <summary>Publishes outcomes as JSON messages (base64) on the Storage Queue <see cref="ReconcilerOptions.OutcomesQueue"/>.</summary>
internal sealed partial class QueueOutcomePublisher(QueueServiceClient queues, IOptions<ReconcilerOptions> options, ILogger<QueueOutcomePublisher> logger) : IOutcomePublisher
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private int _created;

    public async Task PublishAsync(MeshOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            var queue = queues.GetQueueClient(options.Value.OutcomesQueue);
            if (Interlocked.Exchange(ref _created, 1) == 0)
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await queue.SendMessageAsync(BinaryData.FromObjectAsJson(outcome, Json), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PublishFailed(logger, outcome.Namespace, outcome.Router, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "could not publish the outcome for Router {Namespace}/{Router}")]
        public static partial void PublishFailed(ILogger logger, string @namespace, string router, Exception exception);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace MeshFunctions.Core.Events;

/// <summary>
/// Encodes and decodes MeshFunctions events as CloudEvents 1.0 in structured JSON mode
/// (<c>application/cloudevents+json</c>), the body of every queue message. One codec for every producer and
/// consumer, so the envelope cannot drift between Discovery, the webhooks, <c>meshctl publish</c> and the
/// functions. <c>data</c> is camelCase JSON with enums as camelCase strings; unknown <c>data</c> members are
/// rejected so a producer's typo never becomes a silent default. Queue transport encoding (base64 for the
/// Functions trigger) is the transport's business, not this class's.
/// </summary>
public static class MeshEventCodec
{
    /// <summary>Largest encoded event accepted by <see cref="Decode{T}"/> (a Storage Queue message is ≤ 64 KiB).</summary>
    public const int MaxEventBytes = 64 * 1024;

    private static readonly JsonSerializerOptions DataOptions = CreateDataOptions();

    /// <summary>Builds the structured-mode JSON of one event.</summary>
    public static byte[] Encode<T>(MeshEvent<T> meshEvent)
    {
        ArgumentNullException.ThrowIfNull(meshEvent);
        var cloudEvent = new CloudEvent
        {
            Id = meshEvent.Id,
            Source = meshEvent.Source,
            Type = meshEvent.Type,
            Time = meshEvent.Time,
            Subject = meshEvent.Subject,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(meshEvent.Data, DataOptions),
        };
        return new JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }

    /// <summary>Reads the type of an event without decoding its data (to route a message).</summary>
    public static string ReadType(ReadOnlyMemory<byte> body) => Parse(body).Type!;

    /// <summary>Decodes one event whose type must be <paramref name="expectedType"/>.</summary>
    /// <exception cref="MeshEventFormatException">The body is not such an event; the message says why.</exception>
    public static MeshEvent<T> Decode<T>(ReadOnlyMemory<byte> body, string expectedType)
    {
        var cloudEvent = Parse(body);
        if (!string.Equals(cloudEvent.Type, expectedType, StringComparison.Ordinal))
        {
            throw new MeshEventFormatException($"event type is '{cloudEvent.Type}', expected '{expectedType}'");
        }

        if (cloudEvent.Data is not JsonElement data || data.ValueKind != JsonValueKind.Object)
        {
            throw new MeshEventFormatException($"event '{cloudEvent.Id}' of type '{cloudEvent.Type}': data must be a JSON object");
        }

        T? value;
        try
        {
            value = data.Deserialize<T>(DataOptions);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" at data{ex.Path.TrimStart('$')}";
            throw new MeshEventFormatException($"event '{cloudEvent.Id}' of type '{cloudEvent.Type}': invalid data{where}: {FirstLine(ex.Message)}", ex);
        }

        if (value is null)
        {
            throw new MeshEventFormatException($"event '{cloudEvent.Id}' of type '{cloudEvent.Type}': data is null");
        }

        return new MeshEvent<T>(
            cloudEvent.Id!,
            cloudEvent.Source!,
            cloudEvent.Type!,
            cloudEvent.Time ?? DateTimeOffset.UnixEpoch,
            cloudEvent.Subject,
            value);
    }

    private static CloudEvent Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Length == 0)
        {
            throw new MeshEventFormatException("the message is empty, expected a CloudEvent in structured JSON mode");
        }

        if (body.Length > MaxEventBytes)
        {
            throw new MeshEventFormatException($"the message is {body.Length} bytes, more than the {MaxEventBytes} a queue message may hold");
        }

        try
        {
            var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(body, contentType: null, extensionAttributes: null);
            if (string.IsNullOrEmpty(cloudEvent.Type))
            {
                throw new MeshEventFormatException("the CloudEvent has no 'type'");
            }

            return cloudEvent;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new MeshEventFormatException($"not a CloudEvent in structured JSON mode: {FirstLine(ex.Message)}", ex);
        }
    }

    private static JsonSerializerOptions CreateDataOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}

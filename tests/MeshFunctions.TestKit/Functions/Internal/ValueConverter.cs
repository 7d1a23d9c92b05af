using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues.Models;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>Converts trigger payloads and metadata to parameter types, and return values to queue messages, like the worker's converters.</summary>
internal static class ValueConverter
{
    /// <summary>Message body → string, byte[], BinaryData, ReadOnlyMemory&lt;byte&gt;, QueueMessage or a JSON POCO.</summary>
    public static object? FromBody(Type type, QueueMessage message, string parameter, JsonSerializerOptions serializer)
    {
        var body = message.Body;
        if (type == typeof(string))
        {
            return body.ToString();
        }

        if (type == typeof(byte[]))
        {
            return body.ToArray();
        }

        if (type == typeof(BinaryData))
        {
            return body;
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return body.ToMemory();
        }

        if (type == typeof(QueueMessage))
        {
            return message;
        }

        try
        {
            return JsonSerializer.Deserialize(body.ToMemory().Span, type, serializer);
        }
        catch (JsonException ex)
        {
            // Same wording as the worker's FunctionInputConverterException, so logs look alike.
            throw new InvalidOperationException($"Cannot convert input parameter '{parameter}' to type '{type.FullName}' from type 'System.String'. Error:{ex.Message}", ex);
        }
    }

    /// <summary>Trigger metadata (id, dequeueCount, insertionTime…) → the parameter's type; default when absent.</summary>
    public static object? FromMetadata(Type type, object? value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        if (target == typeof(string))
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        if (value is DateTimeOffset time)
        {
            return target == typeof(DateTime) ? time.UtcDateTime : time.ToString("O", CultureInfo.InvariantCulture);
        }

        return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>A return value → queue messages: null → none; string, byte[], BinaryData → one; arrays/lists → one each; else JSON.</summary>
    public static IEnumerable<BinaryData> ToMessages(object? value, JsonSerializerOptions serializer)
    {
        switch (value)
        {
            case null:
                yield break;
            case string text:
                yield return BinaryData.FromString(text);
                break;
            case byte[] bytes:
                yield return BinaryData.FromBytes(bytes);
                break;
            case BinaryData data:
                yield return data;
                break;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    foreach (var message in ToMessages(item, serializer))
                    {
                        yield return message;
                    }
                }

                break;
            default:
                yield return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), serializer));
                break;
        }
    }
}

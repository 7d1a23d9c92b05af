using System.Buffers;
using System.Text.Json;

namespace MeshFunctions.Webhooks.Bench;

/// <summary>
/// The benchmarks' baseline: the least a correct admission server does. Reads the whole body into a pooled buffer, finds
/// <c>request.uid</c> (stopping there) and answers an allowed AdmissionReview that echoes it. No validation, no rule.
/// Shared by the load driver's bench host and BenchmarkDotNet's <c>WebhookHandlerBenchmarks</c>.
/// </summary>
public static class EmptyAdmission
{
    public static async Task HandleAsync(Stream body, Stream response, Action<string> setContentType)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length)).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }

            var answer = Answer(buffer.AsSpan(0, length));
            setContentType("application/json");
            await response.WriteAsync(answer).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Answer(ReadOnlySpan<byte> review)
    {
        var uid = Uid(review);
        var output = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, "admission.k8s.io/v1"u8);
            writer.WriteString("kind"u8, "AdmissionReview"u8);
            writer.WriteStartObject("response"u8);
            writer.WriteString("uid"u8, uid);
            writer.WriteBoolean("allowed"u8, true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary><c>request.uid</c>, read until found; empty when missing.</summary>
    private static string Uid(ReadOnlySpan<byte> review)
    {
        var reader = new Utf8JsonReader(review);
        var inRequest = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inRequest = reader.ValueTextEquals("request"u8);
            }
            else if (inRequest && reader.CurrentDepth == 2 && reader.ValueTextEquals("uid"u8) && reader.Read())
            {
                return reader.GetString() ?? string.Empty;
            }
        }

        return string.Empty;
    }
}

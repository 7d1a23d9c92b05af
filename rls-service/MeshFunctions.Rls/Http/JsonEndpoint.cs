using System.Buffers;
using System.Text;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using MeshFunctions.Rls.Limiting;

namespace MeshFunctions.Rls.Http;

/// <summary>
/// <c>POST /json</c> like envoyproxy/ratelimit: a RateLimitRequest in protobuf JSON
/// (<c>{"domain":…,"descriptors":[{"entries":[{"key":…,"value":…}]}]}</c>) answered with the
/// RateLimitResponse as JSON, status 200 (OK) or 429 (OVER_LIMIT).
/// </summary>
internal static class JsonEndpoint
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static async Task HandleAsync(HttpContext context, RateLimitEngine engine, RlsOptions options)
    {
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"body larger than {options.MaxRequestBytes} bytes").ConfigureAwait(false);
            return;
        }

        RateLimitRequest request;
        var body = await ReadBodyAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"body larger than {options.MaxRequestBytes} bytes").ConfigureAwait(false);
            return;
        }

        try
        {
            request = Parser.Parse<RateLimitRequest>(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid request: " + ex.Message).ConfigureAwait(false);
            return;
        }
        catch (InvalidJsonException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid JSON: " + ex.Message).ConfigureAwait(false);
            return;
        }

        RateLimitResponse response;
        try
        {
            response = await engine.ShouldRateLimitAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (RlsRequestException ex)
        {
            var status = ex.Status == Grpc.Core.StatusCode.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
            await WriteErrorAsync(context, status, ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = response.OverallCode == RateLimitResponse.Types.Code.OverLimit
            ? StatusCodes.Status429TooManyRequests
            : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Formatter.Format(response), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The body as text, or null when it is larger than <paramref name="max"/> bytes. Reads into pooled buffers that grow
    /// with what was actually sent, so a call allocates about its own size, never <paramref name="max"/> up front.
    /// </summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, max) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > max)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return length > max ? null : Encoding.UTF8.GetString(buffer, 0, length);
                }

                length += read;
                if (length > max)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}

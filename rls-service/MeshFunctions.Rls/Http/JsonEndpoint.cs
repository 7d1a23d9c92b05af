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
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var buffer = new char[options.MaxRequestBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (read > options.MaxRequestBytes)
            {
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"body larger than {options.MaxRequestBytes} bytes").ConfigureAwait(false);
                return;
            }

            request = Parser.Parse<RateLimitRequest>(new string(buffer, 0, read));
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

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}

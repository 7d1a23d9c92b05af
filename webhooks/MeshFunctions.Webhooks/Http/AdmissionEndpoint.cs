using System.Diagnostics;
using System.Text.Json;
using MeshFunctions.Webhooks.Observability;
using MeshFunctions.Webhooks.Protocol;
using MeshFunctions.Webhooks.Rules;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Http;

/// <summary>
/// The HTTP side of one webhook: body size limit, per-request deadline, strict AdmissionReview reading, logging scope with
/// the request uid, metrics, and the answer. Bad input never yields a 5xx: an unreadable review is 400 (413 when too
/// large) with a plain-text reason; a readable one whose object the rules cannot read is denied with code 400. A rule that
/// runs out of time or fails unexpectedly is answered by the webhook's failure rule (mutating: admitted unmutated with a
/// warning; validating: denied, retry later), so the API server gets an answer before its own timeout.
/// </summary>
internal sealed partial class AdmissionEndpoint(IAdmissionWebhook webhook, WebhookMetrics metrics, IOptions<WebhookOptions> options, TimeProvider time, ILogger<AdmissionEndpoint> logger)
{
    private const int DrainFactor = 4;

    private readonly WebhookOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        // Kestrel's own limit is a hard cap above ours: a body over our limit is read to its end (and dropped) so the
        // client sees the 413 instead of a connection reset while it is still writing.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _options.MaxRequestBytes * DrainFactor;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(_options.RequestDeadline);
        AdmissionRequest request;
        try
        {
            using var body = await ReadBodyAsync(context.Request.Body, deadline.Token).ConfigureAwait(false);
            if (body is null)
            {
                await RejectAsync(context, 413, $"AdmissionReview larger than {_options.MaxRequestBytes} bytes", started).ConfigureAwait(false);
                return;
            }

            request = await AdmissionReviewReader.ReadAsync(body, _options.MaxJsonDepth, deadline.Token).ConfigureAwait(false);
        }
        catch (AdmissionReviewException ex) when (ex.Uid is { } uid)
        {
            Log.BadReview(logger, webhook.Name, uid, ex.Message);
            await WriteAsync(context, uid, AdmissionOutcome.Deny(400, "invalid AdmissionReview: " + ex.Message), "invalid", "UNKNOWN", "other", started).ConfigureAwait(false);
            return;
        }
        catch (AdmissionReviewException ex)
        {
            await RejectAsync(context, 400, "invalid AdmissionReview: " + ex.Message, started).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RejectAsync(context, 413, $"AdmissionReview larger than {_options.MaxRequestBytes} bytes", started).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await RejectAsync(context, ex.StatusCode, "unreadable request: " + ex.Message, started).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await RejectAsync(context, 408, $"the AdmissionReview was not received within {_options.RequestDeadline.TotalSeconds:0.###} s", started).ConfigureAwait(false);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["uid"] = request.Uid, ["webhook"] = webhook.Name });
        AdmissionOutcome outcome;
        try
        {
            outcome = await webhook.AdmitAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            Log.DeadlineExceeded(logger, webhook.Name, request.Uid, request.Subject);
            outcome = FailureRule($"could not decide within {_options.RequestDeadline.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RuleFailed(logger, webhook.Name, request.Uid, request.Subject, ex);
            outcome = FailureRule("internal error (see the webhook's log for uid " + request.Uid + ")");
        }

        if (!webhook.Mutating && outcome.Patch.Count > 0)
        {
            throw new UnreachableException("a validating webhook produced a patch");
        }

        Log.Answered(logger, webhook.Name, request.Uid, request.Operation.ToString().ToUpperInvariant(), request.Subject, outcome.Allowed, outcome.Patch.Count, request.DryRun);
        await WriteAsync(context, request.Uid, outcome, outcome.Allowed ? (outcome.Patch.Count > 0 ? "patched" : "allowed") : "denied",
            request.Operation.ToString().ToUpperInvariant(), request.Kind.Kind, started).ConfigureAwait(false);
    }

    /// <summary>The body, or null (after reading it to its end) when it is over <see cref="WebhookOptions.MaxRequestBytes"/>.</summary>
    private async Task<MemoryStream?> ReadBodyAsync(Stream source, CancellationToken ct)
    {
        var length = _options.MaxRequestBytes;
        var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > length)
                {
                    buffer.Dispose();
                    while (await source.ReadAsync(chunk, ct).ConfigureAwait(false) > 0)
                    {
                    }

                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        return buffer;
    }

    private AdmissionOutcome FailureRule(string why) => webhook.Mutating
        ? AdmissionOutcome.Allow([$"meshfunctions {webhook.Name} webhook: not mutated, {why}"])
        : AdmissionOutcome.Deny(503, $"meshfunctions {webhook.Name} webhook {why}; retry the request");

    private async Task WriteAsync(HttpContext context, string uid, AdmissionOutcome outcome, string decision, string operation, string kind, long started)
    {
        var review = AdmissionReviewWriter.Write(uid, outcome, webhook.Mutating);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.Body))
        {
            review.WriteTo(writer);
        }

        metrics.Observe(webhook.Name, operation, kind, decision, time.GetElapsedTime(started));
    }

    private async Task RejectAsync(HttpContext context, int status, string message, long started)
    {
        Log.Rejected(logger, webhook.Name, status, message);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
        metrics.Observe(webhook.Name, "UNKNOWN", "other", "rejected", time.GetElapsedTime(started));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "{Webhook} uid={Uid} {Operation} {Subject}: allowed={Allowed} patchOps={PatchOps} dryRun={DryRun}")]
        public static partial void Answered(ILogger logger, string webhook, string uid, string operation, string subject, bool allowed, int patchOps, bool dryRun);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "{Webhook}: rejected a request with {Status}: {Reason}")]
        public static partial void Rejected(ILogger logger, string webhook, int status, string reason);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "{Webhook} uid={Uid}: invalid AdmissionReview: {Reason}")]
        public static partial void BadReview(ILogger logger, string webhook, string uid, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "{Webhook} uid={Uid} {Subject}: deadline exceeded, answered by the failure rule")]
        public static partial void DeadlineExceeded(ILogger logger, string webhook, string uid, string subject);

        [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "{Webhook} uid={Uid} {Subject}: rule failed, answered by the failure rule")]
        public static partial void RuleFailed(ILogger logger, string webhook, string uid, string subject, Exception exception);
    }
}

using System.Buffers;
using MeshFunctions.Core.Admission;
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
/// runs out of time or fails unexpectedly is answered by the webhook's failure rule, the same choice as the configurations'
/// <c>failurePolicy</c> (mutating, <c>Ignore</c>: admitted unmutated with a warning; validating, <c>Fail</c>: denied with 503,
/// retry later), logged with the request uid and counted in <c>meshfunctions_webhook_failures_total</c>, so the API server
/// gets an AdmissionReview before its own timeout and never a bare 500.
/// </summary>
internal sealed partial class AdmissionEndpoint(IAdmissionWebhook webhook, WebhookMetrics metrics, IOptions<WebhookOptions> options, TimeProvider time, ILogger<AdmissionEndpoint> logger)
{
    private const int DrainFactor = 4;

    private readonly WebhookOptions _options = options.Value;
    private readonly SharedDeadlines _deadlines = new(options.Value.RequestDeadline, time);

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        // Kestrel's own limit is a hard cap above ours: a body over our limit is read to its end (and dropped) so the
        // client sees the 413 instead of a connection reset while it is still writing.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _options.MaxRequestBytes * DrainFactor;
        }

        // The deadline bounds reading the body and deciding. It is not linked to the client's abort: a rule whose caller
        // went away still stops at the deadline, and the common request allocates no source, no timer and no link (and
        // does not make Kestrel create its abort source).
        var deadline = _deadlines.Next();
        RequestBody body = default;
        AdmissionRequest? request = null;
        try
        {
            try
            {
                body = await RequestBody.ReadAsync(context.Request.BodyReader, _options.MaxRequestBytes, deadline).ConfigureAwait(false);
                if (body.TooLarge)
                {
                    await RejectAsync(context, 413, $"AdmissionReview larger than {_options.MaxRequestBytes} bytes", started).ConfigureAwait(false);
                    return;
                }

                // The objects borrow the body's bytes (and parse them into pooled documents): both are released only
                // after the answer is written.
                request = AdmissionReviewReader.ReadBorrowing(body.Bytes, _options.MaxJsonDepth);
            }
            catch (AdmissionReviewException ex) when (ex.Uid is { } uid)
            {
                Log.BadReview(logger, webhook.Name, uid, ex.Message);
                Write(context, uid, AdmissionOutcome.Deny(400, "invalid AdmissionReview: " + ex.Message), "invalid", "UNKNOWN", "other", started);
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

            await AdmitAsync(context, request, deadline, started).ConfigureAwait(false);
        }
        finally
        {
            request?.Dispose();
            body.Release();
        }
    }

    private async Task AdmitAsync(HttpContext context, AdmissionRequest request, CancellationToken deadline, long started)
    {
        using var scope = logger.BeginScope(new ReviewLogScope(request.Uid, webhook.Name));
        AdmissionOutcome outcome;
        try
        {
            outcome = await webhook.AdmitAsync(request, deadline).ConfigureAwait(false);
            if (!webhook.Mutating && outcome.Patch.Count > 0)
            {
                throw new InvalidOperationException("a validating webhook produced a patch");
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            Log.DeadlineExceeded(logger, webhook.Name, request.Uid, request.Subject);
            metrics.Failed(webhook.Name, "deadline");
            outcome = FailureRule($"could not decide within the {_options.RequestDeadline.TotalSeconds:0.###} s deadline");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RuleFailed(logger, webhook.Name, request.Uid, request.Subject, ex);
            metrics.Failed(webhook.Name, "error");
            outcome = FailureRule("internal error (see the webhook's log for uid " + request.Uid + ")");
        }

        var operation = OperationName(request.Operation);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Answered(logger, webhook.Name, request.Uid, operation, request.Subject, outcome.Allowed, outcome.Patch.Count, request.DryRun);
        }

        Write(context, request.Uid, outcome, outcome.Allowed ? (outcome.Patch.Count > 0 ? "patched" : "allowed") : "denied",
            operation, request.Kind.Kind, started);
    }

    private static string OperationName(AdmissionOperation operation) => operation switch
    {
        AdmissionOperation.Create => "CREATE",
        AdmissionOperation.Update => "UPDATE",
        AdmissionOperation.Delete => "DELETE",
        AdmissionOperation.Connect => "CONNECT",
        _ => "UNKNOWN",
    };

    private AdmissionOutcome FailureRule(string why) => webhook.Mutating
        ? AdmissionOutcome.Allow([$"meshfunctions {webhook.Name} webhook: not mutated, {why}"])
        : AdmissionOutcome.Deny(503, $"meshfunctions {webhook.Name} webhook {why}; retry the request");

    /// <summary>
    /// The answer, into the response pipe with no flush of our own: Kestrel sends it with the end of the response (one DATA
    /// frame with END_STREAM on HTTP/2) when the handler returns. The common answer (allowed, nothing else) is spliced from
    /// pre-built parts; any other is written by the JSON writer into a pooled buffer first, for its Content-Length.
    /// </summary>
    private void Write(HttpContext context, string uid, AdmissionOutcome outcome, string decision, string operation, string kind, long started)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        if (AdmissionReviewWriter.AllowedLength(uid, outcome) is var length and > 0)
        {
            response.ContentLength = length;
            AdmissionReviewWriter.WriteAllowed(response.BodyWriter.GetSpan(length), uid);
            response.BodyWriter.Advance(length);
        }
        else
        {
            using var buffer = new ArrayPoolBufferWriter();
            AdmissionReviewWriter.Write(buffer, uid, outcome, webhook.Mutating);
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
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

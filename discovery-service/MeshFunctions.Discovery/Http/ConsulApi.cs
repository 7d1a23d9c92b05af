using System.Diagnostics;
using System.Net;
using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Observability;
using MeshFunctions.Discovery.Upstream;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Http;

/// <summary>
/// The Consul HTTP API front: per-service reads follow the mesh/legacy rule, catalog/services and KV reads are
/// upstream's answers (blocking served from the shared upstream views), everything else under <c>/v1/</c>
/// (agent register/deregister, status, agent/self, KV writes) is forwarded upstream unchanged.
/// </summary>
internal sealed partial class ConsulApi
{
    private const string InvalidToken = "Invalid token: ACL tokens are printable ASCII";

    private readonly AnswerService _answers;
    private readonly ConsulUpstreamClient _upstream;
    private readonly UpstreamViewCache _views;
    private readonly DiscoveryOptions _options;
    private readonly DiscoveryMetrics _metrics;
    private readonly ILogger<ConsulApi> _logger;

    public ConsulApi(AnswerService answers, ConsulUpstreamClient upstream, UpstreamViewCache views, IOptions<DiscoveryOptions> options, DiscoveryMetrics metrics, ILogger<ConsulApi> logger)
    {
        _metrics = metrics;
        _answers = answers;
        _upstream = upstream;
        _views = views;
        _options = options.Value;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var target = ConsulTarget.Parse(raw);
        var token = target.Get("token") is { Length: > 0 } t ? t : FirstOrNull(context.Request.Headers["X-Consul-Token"]);
        var path = target.RawPath;
        var method = context.Request.Method;
        try
        {
            if (IsRead(path, method))
            {
                var outcome = await ReadAsync(method, target, token, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false);
                await ConsulResponses.WriteAsync(context, outcome).ConfigureAwait(false);
                ObserveWake(outcome);
            }
            else if (token is not null && !IsPrintableAscii(token))
            {
                await BadRequestAsync(context, InvalidToken).ConfigureAwait(false);
            }
            else if (path.StartsWith("/v1/agent/service/deregister/", StringComparison.Ordinal) && HttpMethods.IsGet(method))
            {
                // python-consul 0.7.1 deregisters with GET, which Consul 1.0+ refuses: accept it and forward a PUT.
                await ForwardAsync(context, HttpMethod.Put, target, token).ConfigureAwait(false);
            }
            else
            {
                await ForwardAsync(context, new HttpMethod(method), target, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
    }

    /// <summary>Whether <see cref="ReadAsync"/> answers this request (catalog, health and KV reads) rather than upstream.</summary>
    public static bool IsRead(string path, string method) =>
        path == "/v1/catalog/services"
        || path.StartsWith("/v1/catalog/service/", StringComparison.Ordinal)
        || path.StartsWith("/v1/health/service/", StringComparison.Ordinal)
        || path.StartsWith("/v1/health/checks/", StringComparison.Ordinal)
        || (path.StartsWith("/v1/kv/", StringComparison.Ordinal) && HttpMethods.IsGet(method));

    /// <summary>
    /// A read (<see cref="IsRead"/>): per-service reads follow the mesh/legacy rule, the others are upstream's answers;
    /// blocks while the answer's index is not above the client's. Independent of the connection, so both Kestrel's
    /// pipeline and <see cref="WatchConnections"/> serve it.
    /// </summary>
    public ValueTask<ReadOutcome> ReadAsync(string method, ConsulTarget target, string? token, IPAddress? caller, CancellationToken cancellationToken)
    {
        var read = StartRead(method, target, token, caller, cancellationToken);
        return read.Answer switch
        {
            null => ValueTask.FromResult(read.Done),

            // A lookup is answered at once: no state machine and no task for the outcome.
            { IsCompletedSuccessfully: true } answer => ValueTask.FromResult(ReadOutcome.Of(answer.Result, read.Consistency)),
            { } answer => AwaitAsync(answer, read.Consistency),
        };

        static async ValueTask<ReadOutcome> AwaitAsync(Task<Answer> answer, string consistency) => ReadOutcome.Of(await answer.ConfigureAwait(false), consistency);
    }

    /// <summary>
    /// Starts <see cref="ReadAsync"/>: a bad request is <see cref="PendingRead.Done"/> at once, else the answer is pending.
    /// Nothing of the request (target, parameters) stays referenced while the answer blocks.
    /// </summary>
    public PendingRead StartRead(string method, ConsulTarget target, string? token, IPAddress? caller, CancellationToken cancellationToken)
    {
        if (token is not null && !IsPrintableAscii(token))
        {
            return BadRequest(caller, InvalidToken);
        }

        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return new PendingRead(ReadOutcome.Failure(405, $"method {method} not allowed"));
        }

        if (BlockingRequest.TryParse(target, out var blocking) is { } error)
        {
            return BadRequest(caller, error);
        }

        var path = target.RawPath;
        (ServiceEndpoint Endpoint, string Name)? service =
            TrySuffix(path, "/v1/catalog/service/", out var name) ? (ServiceEndpoint.Catalog, name)
            : TrySuffix(path, "/v1/health/service/", out name) ? (ServiceEndpoint.Health, name)
            : TrySuffix(path, "/v1/health/checks/", out name) ? (ServiceEndpoint.Checks, name)
            : null;
        if (service is not { } s)
        {
            return new PendingRead(_answers.AnswerUpstreamAsync(target.UpstreamTarget(), token, blocking.Index, blocking.Wait, cancellationToken), blocking.Consistency);
        }

        if (s.Name.Length == 0 || s.Name.Contains('/', StringComparison.Ordinal))
        {
            return BadRequest(caller, "Missing service name");
        }

        if (!target.TryGetBool("passing", out _))
        {
            return BadRequest(caller, "Invalid value for ?passing");
        }

        var dc = target.Get("dc");
        var query = new ServiceQuery(
            s.Endpoint,
            s.Name,
            caller,
            target.Has("tag") || target.Has("filter") || target.Has("node-meta"),
            string.IsNullOrEmpty(dc) || string.Equals(dc, _options.Datacenter, StringComparison.OrdinalIgnoreCase));
        return new PendingRead(_answers.AnswerServiceAsync(query, target.UpstreamTarget(), token, blocking.Index, blocking.Wait, "http", cancellationToken), blocking.Consistency);
    }

    /// <summary>Records <c>discovery_wake_seconds</c> for an answer written after a change woke its blocked query.</summary>
    public void ObserveWake(in ReadOutcome outcome)
    {
        if (outcome.Answer is { ChangedAt: not 0 } answer)
        {
            _metrics.WakeSeconds.Observe(Stopwatch.GetElapsedTime(answer.ChangedAt).TotalSeconds);
        }
    }

    private static string? FirstOrNull(Microsoft.Extensions.Primitives.StringValues values) => values.Count > 0 ? values[0] : null;

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return text.Length <= 256;
    }

    private static bool TrySuffix(string path, string prefix, out string name)
    {
        name = string.Empty;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        name = Uri.UnescapeDataString(path[prefix.Length..]);
        return true;
    }

    private async Task ForwardAsync(HttpContext context, HttpMethod method, ConsulTarget target, string? token)
    {
        byte[]? body = null;
        if (context.Request.ContentLength > _options.MaxRequestBodyBytes)
        {
            await ConsulResponses.ErrorAsync(context, 413, $"Request body too large, max size: {_options.MaxRequestBodyBytes} bytes").ConfigureAwait(false);
            return;
        }

        if (method != HttpMethod.Get && method != HttpMethod.Head)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > _options.MaxRequestBodyBytes)
                {
                    await ConsulResponses.ErrorAsync(context, 413, $"Request body too large, max size: {_options.MaxRequestBodyBytes} bytes").ConfigureAwait(false);
                    return;
                }
            }

            body = buffer.ToArray();
        }

        UpstreamResult result;
        try
        {
            result = await _upstream.ForwardAsync(method, target.WithoutToken(), token, body, context.Request.ContentType, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            Log.ForwardFailed(_logger, method.Method, target.RawPath, ex.Message);
            context.Response.StatusCode = 500;
            ConsulResponses.SetMeta(context.Response, 1, false, 0);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("upstream Consul unavailable: " + ex.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (method != HttpMethod.Get && method != HttpMethod.Head && result.Status is >= 200 and < 300)
        {
            // Read-your-writes: the writer's next read must not be served from a view that predates the write.
            IReadOnlyList<string> affected = target.RawPath.StartsWith("/v1/kv/", StringComparison.Ordinal) ? ["/v1/kv/"] : ["/v1/catalog/", "/v1/health/"];
            await _views.RefreshAsync(affected, context.RequestAborted).ConfigureAwait(false);
        }

        context.Response.StatusCode = result.Status;
        ConsulResponses.SetMeta(context.Response, result.Index, result.KnownLeader, result.LastContactMs);
        if (result.ContentType is not null)
        {
            context.Response.ContentType = result.ContentType;
        }

        context.Response.ContentLength = result.Body.Length;
        await context.Response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private PendingRead BadRequest(IPAddress? caller, string message)
    {
        Log.BadRequest(_logger, caller ?? IPAddress.None, message);
        return new PendingRead(ReadOutcome.Failure(400, message));
    }

    private Task BadRequestAsync(HttpContext context, string message)
    {
        Log.BadRequest(_logger, context.Connection.RemoteIpAddress ?? IPAddress.None, message);
        return ConsulResponses.ErrorAsync(context, 400, message);
    }
}

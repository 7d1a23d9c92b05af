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
        var token = target.Get("token") is { Length: > 0 } t ? t : context.Request.Headers["X-Consul-Token"].FirstOrDefault();
        var path = target.RawPath;
        var method = context.Request.Method;
        if (token is not null && !IsPrintableAscii(token))
        {
            await BadRequestAsync(context, "Invalid token: ACL tokens are printable ASCII").ConfigureAwait(false);
            return;
        }

        try
        {
            if (path == "/v1/catalog/services")
            {
                await ReadAsync(context, target, token, null).ConfigureAwait(false);
            }
            else if (TrySuffix(path, "/v1/catalog/service/", out var name))
            {
                await ReadAsync(context, target, token, (ServiceEndpoint.Catalog, name)).ConfigureAwait(false);
            }
            else if (TrySuffix(path, "/v1/health/service/", out name))
            {
                await ReadAsync(context, target, token, (ServiceEndpoint.Health, name)).ConfigureAwait(false);
            }
            else if (TrySuffix(path, "/v1/health/checks/", out name))
            {
                await ReadAsync(context, target, token, (ServiceEndpoint.Checks, name)).ConfigureAwait(false);
            }
            else if (path.StartsWith("/v1/kv/", StringComparison.Ordinal) && HttpMethods.IsGet(method))
            {
                await ReadAsync(context, target, token, null).ConfigureAwait(false);
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

    private async Task ReadAsync(HttpContext context, ConsulTarget target, string? token, (ServiceEndpoint Endpoint, string Name)? service)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await ConsulResponses.ErrorAsync(context, 405, $"method {context.Request.Method} not allowed").ConfigureAwait(false);
            return;
        }

        if (BlockingRequest.TryParse(target, out var blocking) is { } error)
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }

        Answer answer;
        if (service is { } s)
        {
            if (s.Name.Length == 0 || s.Name.Contains('/', StringComparison.Ordinal))
            {
                await BadRequestAsync(context, "Missing service name").ConfigureAwait(false);
                return;
            }

            if (!target.TryGetBool("passing", out _))
            {
                await BadRequestAsync(context, "Invalid value for ?passing").ConfigureAwait(false);
                return;
            }

            var dc = target.Get("dc");
            var query = new ServiceQuery(
                s.Endpoint,
                s.Name,
                context.Connection.RemoteIpAddress,
                target.Has("tag") || target.Has("filter") || target.Has("node-meta"),
                string.IsNullOrEmpty(dc) || string.Equals(dc, _options.Datacenter, StringComparison.OrdinalIgnoreCase));
            answer = await _answers.AnswerServiceAsync(query, target.UpstreamTarget(), token, blocking.Index, blocking.Wait, "http", context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            answer = await _answers.AnswerUpstreamAsync(target.UpstreamTarget(), token, blocking.Index, blocking.Wait, context.RequestAborted).ConfigureAwait(false);
        }

        await ConsulResponses.WriteAsync(context, answer, blocking.Consistency).ConfigureAwait(false);
        if (answer.ChangedAt != 0)
        {
            _metrics.WakeSeconds.Observe(Stopwatch.GetElapsedTime(answer.ChangedAt).TotalSeconds);
        }
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

    private Task BadRequestAsync(HttpContext context, string message)
    {
        Log.BadRequest(_logger, context.Connection.RemoteIpAddress ?? IPAddress.None, message);
        return ConsulResponses.ErrorAsync(context, 400, message);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// Dispatches on the raw request target (not <c>Request.Path</c>, which keeps <c>%2F</c> encoded) and writes
/// Consul's headers: query meta on every read of catalog/health/KV, 404s included.
/// </summary>
internal sealed class ConsulHttpHandler(FakeConsul consul, ConsulState state, FakeConsulOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var query = ConsulQuery.Parse(rawTarget);
        var token = query.Get("token") ?? TokenFromHeaders(request);
        var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, consul.Stopping);
        ConsulAnswer answer;
        BlockingQuery? blocking = null;
        try
        {
            await consul.WaitWhileHungAsync(aborted.Token).ConfigureAwait(false);
            if (consul.InjectedFailure is { } failure)
            {
                answer = failure;
            }
            else
            {
                (answer, blocking) = await DispatchAsync(context, query, aborted.Token).ConfigureAwait(false);
                answer = FakeConsul.ApplySelectors(query, answer);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // Client gone or listener stopping: drop the connection like a dying server would.
            consul.Log(new ConsulRequest(request.Method, rawTarget, token, 0));
            context.Abort();
            return;
        }
        finally
        {
            aborted.Dispose();
        }

        consul.Log(new ConsulRequest(request.Method, rawTarget, token, answer.Status));
        await WriteAsync(context, answer, blocking).ConfigureAwait(false);
    }

    private async Task<(ConsulAnswer Answer, BlockingQuery? Blocking)> DispatchAsync(HttpContext context, ConsulQuery query, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        var path = query.Path;
        if (query.Get("dc") is { Length: > 0 } dc && dc != options.Datacenter)
        {
            return (ConsulAnswer.Error(500, "No path to datacenter"), null);
        }

        if (path.StartsWith("/v1/kv/", StringComparison.Ordinal))
        {
            var key = path["/v1/kv/".Length..];
            switch (method)
            {
                case "GET":
                    return await BlockingAsync(query, s => KvEndpoints.Get(s, key, query), cancellationToken).ConfigureAwait(false);
                case "PUT":
                    var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
                    return (body is null
                        ? ConsulAnswer.Error(413, $"Request body too large, max size: {KvEndpoints.MaxValueSize} bytes")
                        : KvEndpoints.Put(state, key, query, body), null);
                case "DELETE":
                    return (KvEndpoints.Delete(state, key, query), null);
                default:
                    return (NotAllowed(method), null);
            }
        }

        if (path == "/v1/catalog/services")
        {
            return method == "GET" ? await BlockingAsync(query, CatalogEndpoints.Services, cancellationToken).ConfigureAwait(false) : (NotAllowed(method), null);
        }

        if (TryName(path, "/v1/catalog/service/", out var name))
        {
            var tags = query.GetAll("tag").ToList();
            return method == "GET"
                ? await BlockingAsync(query, s => CatalogEndpoints.Service(s, name, tags), cancellationToken).ConfigureAwait(false)
                : (NotAllowed(method), null);
        }

        if (TryName(path, "/v1/health/service/", out name))
        {
            if (method != "GET")
            {
                return (NotAllowed(method), null);
            }

            if (!query.TryGetBool("passing", out var passing))
            {
                return (ConsulAnswer.Error(400, "Invalid value for ?passing"), null);
            }

            var tags = query.GetAll("tag").ToList();
            return await BlockingAsync(query, s => CatalogEndpoints.Health(s, name, tags, passing), cancellationToken).ConfigureAwait(false);
        }

        return (path, method) switch
        {
            ("/v1/status/leader", "GET") => (CatalogEndpoints.Leader(consul.LeaderAddress), null),
            ("/v1/status/peers", "GET") => (CatalogEndpoints.Peers(consul.LeaderAddress), null),
            ("/v1/agent/self", "GET") => (CatalogEndpoints.AgentSelf(options), null),
            ("/v1/agent/service/register", "PUT") => (await RegisterAsync(context, cancellationToken).ConfigureAwait(false), null),
            ("/v1/status/leader" or "/v1/status/peers" or "/v1/agent/self" or "/v1/agent/service/register", _) => (NotAllowed(method), null),
            _ when TryName(path, "/v1/agent/service/deregister/", out var id) =>
                (method == "PUT" ? AgentEndpoints.Deregister(state, options.NodeName, id) : NotAllowed(method), null),
            _ => (ConsulAnswer.Error(404, "404 page not found\n"), null),
        };
    }

    private async Task<ConsulAnswer> RegisterAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        return body is null ? ConsulAnswer.Error(413, "Request body too large") : AgentEndpoints.Register(state, options.NodeName, body);
    }

    private async Task<(ConsulAnswer, BlockingQuery?)> BlockingAsync(ConsulQuery query, Func<ConsulState, ConsulAnswer> read, CancellationToken cancellationToken)
    {
        if (BlockingQuery.TryParse(query, out var blocking) is { } error)
        {
            return (error, null);
        }

        var answer = await blocking.RunAsync(state, read, options.TimeProvider, consul.OnParked, cancellationToken).ConfigureAwait(false);
        return (answer, blocking);
    }

    private async Task WriteAsync(HttpContext context, ConsulAnswer answer, BlockingQuery? blocking)
    {
        var headers = context.Response.Headers;
        headers["Vary"] = "Accept-Encoding";
        headers["X-Consul-Default-Acl-Policy"] = "allow";
        if (answer.Index is { } index)
        {
            // Header names as Go canonicalises them on the wire ("Knownleader", "Lastcontact").
            headers["X-Consul-Effective-Consistency"] = blocking?.Consistency ?? "leader";
            headers["X-Consul-Index"] = Math.Max(index, 1).ToString(CultureInfo.InvariantCulture);
            headers["X-Consul-Knownleader"] = consul.KnownLeader ? "true" : "false";
            headers["X-Consul-Lastcontact"] = ((long)consul.LastContact.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            headers["X-Consul-Query-Backend"] = "blocking-query";
        }

        context.Response.StatusCode = answer.Status;
        if (answer.ContentType is not null)
        {
            context.Response.ContentType = answer.ContentType;
        }

        if (answer.Body is { Length: > 0 } body)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > KvEndpoints.MaxValueSize)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool TryName(string path, string prefix, out string name)
    {
        name = path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : string.Empty;
        return name.Length > 0;
    }

    private static ConsulAnswer NotAllowed(string method) => ConsulAnswer.Error(405, $"method {method} not allowed");

    private static string? TokenFromHeaders(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Consul-Token", out var token) && token.Count > 0)
        {
            return token[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}

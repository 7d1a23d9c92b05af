using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace MeshFunctions.Discovery.Http;

/// <summary>The headers every Consul read carries (also on 404 and errors), in Go's wire casing, written to Kestrel's response or to any <see cref="IHeaderSink"/>.</summary>
internal static class ConsulResponses
{
    public static Task WriteAsync(HttpContext context, in ReadOutcome outcome)
    {
        var response = context.Response;
        response.StatusCode = outcome.Status;
        var sink = new ResponseHeaders(response.Headers);
        AddHeaders(outcome, ref sink);
        response.ContentType = outcome.ContentType;
        var body = outcome.Body();
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>A client error: status and Consul's text, with the index headers so every client can read it.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) => WriteAsync(context, ReadOutcome.Failure(status, message));

    /// <summary>The <c>X-Consul-*</c> headers of <paramref name="outcome"/> (an error carries index 1, known leader, no backend).</summary>
    public static void AddHeaders<TSink>(in ReadOutcome outcome, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        if (outcome.Answer is { } answer)
        {
            AddMeta(answer.IndexText, answer.KnownLeader, answer.LastContactMs, ref sink);
        }
        else
        {
            AddMeta("1", true, 0, ref sink);
        }

        if (outcome.Consistency is { } consistency)
        {
            sink.Add("X-Consul-Effective-Consistency", consistency);
            sink.Add("X-Consul-Query-Backend", "blocking-query");
        }
    }

    public static void SetMeta(HttpResponse response, ulong index, bool knownLeader, long lastContactMs)
    {
        var sink = new ResponseHeaders(response.Headers);
        AddMeta(Math.Max(index, 1).ToString(CultureInfo.InvariantCulture), knownLeader, lastContactMs, ref sink);
    }

    private static void AddMeta<TSink>(string index, bool knownLeader, long lastContactMs, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        sink.Add("X-Consul-Index", index);
        sink.Add("X-Consul-Knownleader", knownLeader ? "true" : "false");
        sink.Add("X-Consul-Lastcontact", Math.Max(lastContactMs, 0).ToString(CultureInfo.InvariantCulture));
        sink.Add("X-Consul-Default-Acl-Policy", "allow");
        sink.Add("Vary", "Accept-Encoding");
    }

    private readonly struct ResponseHeaders(IHeaderDictionary headers) : IHeaderSink
    {
        public void Add(string name, string value) => headers[name] = new StringValues(value);
    }
}

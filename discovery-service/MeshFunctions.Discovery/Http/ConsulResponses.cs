using System.Globalization;
using System.Text;
using MeshFunctions.Discovery.Answers;

namespace MeshFunctions.Discovery.Http;

/// <summary>Writes answers with the headers every Consul read carries (also on 404 and errors), in Go's wire casing.</summary>
internal static class ConsulResponses
{
    public static Task WriteAsync(HttpContext context, Answer answer, string consistency)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        SetMeta(response, answer.Index, answer.KnownLeader, answer.LastContactMs);
        response.Headers["X-Consul-Effective-Consistency"] = consistency;
        response.Headers["X-Consul-Query-Backend"] = "blocking-query";
        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        return answer.Body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(answer.Body, context.RequestAborted).AsTask();
    }

    /// <summary>A client error: status and Consul's text, with the index headers so every client can read it.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        SetMeta(response, 1, true, 0);
        response.ContentType = "text/plain; charset=utf-8";
        var body = Encoding.UTF8.GetBytes(message);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    public static void SetMeta(HttpResponse response, ulong index, bool knownLeader, long lastContactMs)
    {
        response.Headers["X-Consul-Index"] = Math.Max(index, 1).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Consul-Knownleader"] = knownLeader ? "true" : "false";
        response.Headers["X-Consul-Lastcontact"] = Math.Max(lastContactMs, 0).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Consul-Default-Acl-Policy"] = "allow";
        response.Headers.Vary = "Accept-Encoding";
    }
}

using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace MeshFunctions.Discovery.Http;

/// <summary>
/// A read's answer as HTTP/1.1 bytes, with the headers Kestrel's pipeline writes for it (<see cref="ConsulResponses"/>:
/// status, <c>Date</c>, content type and length, the <c>X-Consul-*</c> headers, <c>Connection: close</c> when asked).
/// The body of an answer is the byte array shared by every watcher a change woke; it is copied, never re-serialized.
/// </summary>
internal static class WatchResponse
{
    private static CachedDate? _date;

    public static void Write(PipeWriter output, in ReadOutcome outcome, bool close, DateTimeOffset now)
    {
        var body = outcome.Body();
        var head = new HeadWriter(output);
        head.Append("HTTP/1.1 ");
        head.Append(outcome.Status.ToString(CultureInfo.InvariantCulture));
        head.Append(" ");
        head.Append(ReasonPhrases.GetReasonPhrase(outcome.Status));
        head.Append("\r\n");
        head.Add("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        head.Add("Content-Type", outcome.ContentType);
        head.Add("Date", DateHeader(now));
        if (close)
        {
            head.Add("Connection", "close");
        }

        ConsulResponses.AddHeaders(outcome, ref head);
        head.Append("\r\n");
        output.Write(body);
    }

    /// <summary>A 500 with no body, as Kestrel answers a request whose handler failed.</summary>
    public static void WriteServerError(PipeWriter output, DateTimeOffset now)
    {
        var head = new HeadWriter(output);
        head.Append("HTTP/1.1 500 Internal Server Error\r\n");
        head.Add("Content-Length", "0");
        head.Add("Date", DateHeader(now));
        head.Add("Connection", "close");
        head.Append("\r\n");
    }

    private static string DateHeader(DateTimeOffset now)
    {
        var cached = Volatile.Read(ref _date);
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        if (cached is not null && cached.Second == second)
        {
            return cached.Text;
        }

        var fresh = new CachedDate(second, now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        Volatile.Write(ref _date, fresh);
        return fresh.Text;
    }

    private sealed record CachedDate(long Second, string Text);

    private readonly struct HeadWriter(PipeWriter output) : IHeaderSink
    {
        public void Add(string name, string value)
        {
            Append(name);
            Append(": ");
            Append(value);
            Append("\r\n");
        }

        public void Append(string text)
        {
            var span = output.GetSpan(text.Length);
            var written = Encoding.ASCII.GetBytes(text, span);
            output.Advance(written);
        }
    }
}

using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshFunctions.Discovery.Bench;

/// <summary>
/// One blocking watcher on a plain socket: one HTTP/1.1 request sent at connect, then its response read to the last byte
/// (status line, headers up to the empty line, then exactly <c>Content-Length</c> bytes of body). Cheaper per response
/// than <see cref="HttpClient"/> (no pool, no header collections, no content streams), so a wake measured with 10,000
/// of them spends the machine's CPU on the server rather than on the driver.
/// </summary>
internal sealed class RawWatcher : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLength = "\r\ncontent-length:"u8.ToArray();
    private readonly Socket _socket;

    private RawWatcher(Socket socket) => _socket = socket;

    /// <summary>Connects from <paramref name="source"/> and sends <paramref name="request"/>; a connection refused or reset (the accept queue full in the storm) is retried after a random pause, as a Consul client's watch loop does.</summary>
    public static async Task<RawWatcher> ConnectAsync(IPEndPoint server, IPAddress source, byte[] request, Action retried)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(server);
                await socket.SendAsync(request, SocketFlags.None);
                return new RawWatcher(socket);
            }
            catch (SocketException)
            {
                socket.Dispose();
                retried();
                await Task.Delay(Random.Shared.Next(100, 1000));
            }
        }
    }

    /// <summary>Reads one complete response; true when its status is 200 and its body is a JSON array holding <paramref name="mustContain"/>.</summary>
    public async Task<bool> ReadAnswerAsync(string mustContain)
    {
        var buffer = new byte[4096];
        var filled = 0;
        var bodyStart = -1;
        var total = -1;
        while (total < 0 || filled < total)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            filled += read;
            if (bodyStart < 0)
            {
                var end = buffer.AsSpan(0, filled).IndexOf(HeadEnd);
                if (end < 0)
                {
                    continue;
                }

                bodyStart = end + HeadEnd.Length;
                var length = BodyLength(buffer.AsSpan(0, end + 2));
                if (length < 0)
                {
                    return false;
                }

                total = bodyStart + length;
            }
        }

        var head = buffer.AsSpan(0, bodyStart);
        var body = buffer.AsSpan(bodyStart, total - bodyStart);
        return head.StartsWith("HTTP/1.1 200 "u8)
            && body.Length > 1 && body[0] == (byte)'[' && body[^1] == (byte)']'
            && body.IndexOf(Encoding.ASCII.GetBytes(mustContain)) >= 0;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The <c>Content-Length</c> value of a response head (ending with its last header's CRLF), or -1.</summary>
    private static int BodyLength(ReadOnlySpan<byte> head)
    {
        Span<byte> lower = head.Length <= 4096 ? stackalloc byte[head.Length] : new byte[head.Length];
        Ascii.ToLower(head, lower, out _);
        var at = lower.IndexOf(ContentLength);
        if (at < 0)
        {
            return -1;
        }

        var value = head[(at + ContentLength.Length)..];
        value = value[..value.IndexOf("\r\n"u8)].Trim((byte)' ');
        return Utf8Parser.TryParse(value, out int length, out var consumed) && consumed == value.Length ? length : -1;
    }
}

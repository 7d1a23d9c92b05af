using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshFunctions.Discovery.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 connection driven byte by byte from a 127.0.0.x source address: requests are sent as written (several at
/// once for pipelining), responses read by Content-Length, and the server closing the connection is observable.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(string sourceIp, Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(sourceIp), 0));
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        return new RawHttpConnection(socket);
    }

    /// <summary>A GET of <paramref name="target"/> as a Consul client sends it (HTTP/1.1, Host), plus <paramref name="extraHeaders"/> lines.</summary>
    public static string Get(string target, string version = "HTTP/1.1", params string[] extraHeaders) =>
        $"GET {target} {version}\r\nHost: discovery\r\n{string.Concat(extraHeaders.Select(h => h + "\r\n"))}\r\n";

    public Task SendAsync(string text) => _socket.SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Closes the connection abruptly (a watcher that goes away).</summary>
    public void Abort() => _socket.Close(0);

    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        using var cts = new CancellationTokenSource(DiscoveryHarness.Patience);
        int end;
        while ((end = IndexOfHeadEnd()) < 0)
        {
            await ReceiveAsync(cts.Token);
        }

        var head = Encoding.ASCII.GetString(_pending.GetRange(0, end).ToArray()).Split("\r\n");
        var headers = head.Skip(1).Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
        var length = int.Parse(headers.Single(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value, System.Globalization.CultureInfo.InvariantCulture);
        while (_pending.Count < end + 4 + length)
        {
            await ReceiveAsync(cts.Token);
        }

        var body = Encoding.UTF8.GetString(_pending.GetRange(end + 4, length).ToArray());
        _pending.RemoveRange(0, end + 4 + length);
        return new RawHttpResponse(head[0], int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }

    /// <summary>Waits until the server closes the connection (a read returns end of stream), with nothing more sent.</summary>
    public async Task<bool> ServerClosedAsync()
    {
        using var cts = new CancellationTokenSource(DiscoveryHarness.Patience);
        var buffer = new byte[1024];
        try
        {
            return await _socket.ReceiveAsync(buffer, cts.Token) == 0 && _pending.Count == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var read = await _socket.ReceiveAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException("server closed the connection before a whole response");
        }

        _pending.AddRange(buffer.AsSpan(0, read));
    }

    private int IndexOfHeadEnd()
    {
        for (var i = 0; i + 3 < _pending.Count; i++)
        {
            if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

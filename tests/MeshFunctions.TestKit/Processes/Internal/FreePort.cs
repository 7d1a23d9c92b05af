using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshFunctions.TestKit.Processes.Internal;

/// <summary>Finds loopback ports and waits for servers to listen on them.</summary>
internal static class FreePort
{
    /// <summary>A port the OS just considered free on 127.0.0.1 (another process may still take it; callers retry on failure).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when something accepts TCP connections on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls until the port accepts connections or the process exits or the timeout passes. With
    /// <paramref name="readyMarker"/>, the process must also have said so in its output: a port found free can be taken by
    /// another process before ours binds it, and then the port answers while ours is about to exit with EADDRINUSE (a
    /// test then talked to someone else's server and got a 404).
    /// </summary>
    public static async Task WaitListeningAsync(ManagedProcess process, int port, TimeSpan timeout, CancellationToken cancellationToken, string? readyMarker = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with code {process.ExitCode} before listening on port {port}: {process.Output}");
            }

            if ((readyMarker is null || process.Output.Contains(readyMarker, StringComparison.Ordinal))
                && await IsListeningAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{process.Name} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds} s: {process.Output}");
    }
}

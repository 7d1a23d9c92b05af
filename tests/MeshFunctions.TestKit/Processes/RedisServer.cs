using System.Net.Sockets;
using System.Text;
using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, without persistence, that a test can kill and
/// restart on the same port, or pause and resume (fault tests). The binary comes from <c>MF_REDIS_SERVER</c> or PATH.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _binary;
    private ManagedProcess? _process;

    private RedisServer(string binary, int port)
    {
        _binary = binary;
        Port = port;
    }

    /// <summary>The loopback port; kept across <see cref="RestartAsync"/>.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis-style endpoint, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a private server; throws <see cref="TestDependencyMissingException"/> when redis-server is not installed.</summary>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartWithAsync(ExecutableLocator.Find("MF_REDIS_SERVER", "redis-server"), cancellationToken);

    internal static async Task<RedisServer> StartWithAsync(string? binary, CancellationToken cancellationToken)
    {
        if (binary is null)
        {
            throw new TestDependencyMissingException(
                "redis-server was not found (MF_REDIS_SERVER, PATH). Install it with `apt-get install -y redis-server` " +
                "or run the tests through `bash eng/test.sh`, which installs it.");
        }

        // The probed port may be taken by another process before redis-server binds it; then it exits
        // at once and we try a new port.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(binary, FreePort.Next());
            try
            {
                await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Kills the server (SIGKILL, no shutdown): clients see connection resets, then refusals.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.KillAsync().ConfigureAwait(false);
            process.Dispose();
        }
    }

    /// <summary>
    /// Freezes the server (SIGSTOP), as a hung host would: connections stay open and accept commands, but
    /// nothing is answered until <see cref="Resume"/>.
    /// </summary>
    public void Pause() => RunningProcess().Signal(PosixSignals.Stop);

    /// <summary>Lets a paused server run again (SIGCONT); it then answers what it received meanwhile, in order.</summary>
    public void Resume() => RunningProcess().Signal(PosixSignals.Continue);

    /// <summary>Starts the server again on the same port, empty (no persistence), as after a crash.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync().ConfigureAwait(false);
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends PING and expects +PONG, proving the server answers (not just accepts).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await KillAsync().ConfigureAwait(false);

    private ManagedProcess RunningProcess() =>
        _process ?? throw new InvalidOperationException("redis-server is not running (killed?); RestartAsync first");

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        _process = ManagedProcess.Start(_binary,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"],
            "redis-server");
        // "Ready to accept connections" (Redis 4+) or "The server is now ready to accept connections" (older).
        await FreePort.WaitListeningAsync(_process, Port, TimeSpan.FromSeconds(30), cancellationToken, "eady to accept connections").ConfigureAwait(false);
    }
}

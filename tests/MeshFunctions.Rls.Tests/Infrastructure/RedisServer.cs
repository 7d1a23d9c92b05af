using System.Diagnostics;
using System.Net.Sockets;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port (binary from MF_REDIS_SERVER or PATH), without
/// persistence. Can be killed and restarted on the same port for fault tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(string binary, int port)
    {
        Binary = binary;
        Port = port;
    }

    public string Binary { get; }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var binary = Environment.GetEnvironmentVariable("MF_REDIS_SERVER");
        if (string.IsNullOrEmpty(binary))
        {
            binary = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, "redis-server"))
                .FirstOrDefault(File.Exists);
        }

        if (string.IsNullOrEmpty(binary) || !File.Exists(binary))
        {
            throw new InvalidOperationException(
                "redis-server not found: set MF_REDIS_SERVER or install it (apt-get install -y redis-server). The RLS Redis tests need a real Redis.");
        }

        var server = new RedisServer(binary, Ports.Free());
        await server.StartProcessAsync();
        return server;
    }

    public async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + Binary);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {Port} within 20 s");
    }

    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}

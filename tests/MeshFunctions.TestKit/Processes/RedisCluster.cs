using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// A real Redis Cluster on loopback: <c>masters × (1 + replicasPerMaster)</c> private <c>redis-server --cluster-enabled yes</c>
/// processes (no persistence, explicit cluster bus ports), joined with <c>redis-cli --cluster create</c>. A test can kill a
/// master and wait for its replica to be promoted. Binaries come from <c>MF_REDIS_SERVER</c>/<c>MF_REDIS_CLI</c> or PATH.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly List<Node> _nodes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-cluster-").FullName;

    private RedisCluster()
    {
    }

    /// <summary>Every node's <c>127.0.0.1:port</c>, masters and replicas.</summary>
    public IReadOnlyList<string> Endpoints => [.. _nodes.Select(n => n.Endpoint)];

    /// <summary>StackExchange.Redis-style configuration listing every node.</summary>
    public string Configuration => string.Join(',', Endpoints);

    /// <summary>Starts the nodes and creates the cluster; returns once every node reports <c>cluster_state:ok</c>.</summary>
    public static async Task<RedisCluster> StartAsync(int masters = 3, int replicasPerMaster = 1, CancellationToken cancellationToken = default)
    {
        var server = ExecutableLocator.Find("MF_REDIS_SERVER", "redis-server");
        var cli = ExecutableLocator.Find("MF_REDIS_CLI", "redis-cli");
        if (server is null || cli is null)
        {
            throw new TestDependencyMissingException(
                "redis-server and redis-cli were not found (MF_REDIS_SERVER, MF_REDIS_CLI, PATH). Install them with " +
                "`apt-get install -y redis-server redis-tools` or run the tests through `bash eng/test.sh`.");
        }

        var cluster = new RedisCluster();
        try
        {
            for (var i = 0; i < masters * (1 + replicasPerMaster); i++)
            {
                await cluster.StartNodeAsync(server, cancellationToken).ConfigureAwait(false);
            }

            var create = ManagedProcess.Start(
                cli,
                ["--cluster", "create", .. cluster.Endpoints, "--cluster-replicas", replicasPerMaster.ToString(CultureInfo.InvariantCulture), "--cluster-yes"],
                "redis-cli --cluster create");
            using (create)
            {
                var clock = Stopwatch.StartNew();
                while (!create.HasExited)
                {
                    if (clock.Elapsed > Patience)
                    {
                        throw new TimeoutException("redis-cli --cluster create did not finish: " + create.Output);
                    }

                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }

                if (create.ExitCode != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed ({create.ExitCode}): {create.Output}");
                }
            }

            await cluster.WaitHealthyAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ports of the nodes that are masters now (from <c>CLUSTER NODES</c> of a live node).</summary>
    public async Task<IReadOnlyList<int>> MasterPortsAsync(CancellationToken cancellationToken = default)
    {
        var live = _nodes.First(n => n.Process is { HasExited: false });
        var text = await CommandAsync(live.Port, "CLUSTER NODES", cancellationToken).ConfigureAwait(false);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(IsServingMaster)
            .Select(f => int.Parse(f[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture))];
    }

    /// <summary>Kills one node (SIGKILL); its replica takes over after the node timeout.</summary>
    public async Task KillAsync(int port)
    {
        var node = _nodes.Single(n => n.Port == port);
        if (node.Process is { } process)
        {
            node.Process = null;
            await process.KillAsync().ConfigureAwait(false);
            process.Dispose();
        }
    }

    /// <summary>Waits until every live node reports <c>cluster_state:ok</c> and every slot is served by a live master.</summary>
    public async Task WaitHealthyAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ok = true;
            foreach (var node in _nodes.Where(n => n.Process is { HasExited: false }))
            {
                var info = await CommandAsync(node.Port, "CLUSTER INFO", cancellationToken).ConfigureAwait(false);
                ok &= info.Contains("cluster_state:ok", StringComparison.Ordinal) && info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal);

                // Roles settled in this node's view too: right after `--cluster create` a replica-to-be is still listed as
                // a master without slots (a test then counted a replica among the masters: one "master" served nothing).
                var view = await CommandAsync(node.Port, "CLUSTER NODES", cancellationToken).ConfigureAwait(false);
                ok &= !view.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' '))
                    .Any(f => f.Length > 2 && f[2].Contains("master", StringComparison.Ordinal) && !f[2].Contains("fail", StringComparison.Ordinal) && !IsServingMaster(f));
            }

            if (ok)
            {
                return;
            }

            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException("the Redis cluster did not become healthy");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A <c>CLUSTER NODES</c> line of a live master that serves slots (slot ranges follow the 8 fixed fields).</summary>
    private static bool IsServingMaster(string[] fields) =>
        fields.Length > 8 && fields[2].Contains("master", StringComparison.Ordinal) && !fields[2].Contains("fail", StringComparison.Ordinal);

    /// <summary>Sends one inline command to a node and returns its reply as text (status, error, integer or bulk string).</summary>
    public static async Task<string> CommandAsync(int port, string command, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
        var buffer = new List<byte>();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
            var text = Encoding.UTF8.GetString([.. buffer]);
            var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                continue;
            }

            if (text[0] != '$')
            {
                return text[1..lineEnd];
            }

            var length = int.Parse(text[1..lineEnd], CultureInfo.InvariantCulture);
            if (Encoding.UTF8.GetByteCount(text) >= lineEnd + 2 + length)
            {
                return text.Substring(lineEnd + 2, Math.Min(length, text.Length - lineEnd - 2));
            }
        }

        throw new IOException($"no complete reply to '{command}' from port {port}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node.Process is { } process)
            {
                node.Process = null;
                await process.KillAsync().ConfigureAwait(false);
                process.Dispose();
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task StartNodeAsync(string binary, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = new Node(FreePort.Next(), FreePort.Next());
            var directory = Path.Combine(_directory, node.Port.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            node.Process = ManagedProcess.Start(
                binary,
                [
                    "--port", node.Port.ToString(CultureInfo.InvariantCulture),
                    "--cluster-port", node.BusPort.ToString(CultureInfo.InvariantCulture),
                    "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0", "--dir", directory, "--save", string.Empty, "--appendonly", "no",
                ],
                "redis-server (cluster node)",
                directory);
            try
            {
                await FreePort.WaitListeningAsync(node.Process, node.Port, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                _nodes.Add(node);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                node.Process.Dispose();
            }
        }
    }

    private sealed class Node(int port, int busPort)
    {
        public int Port { get; } = port;

        public int BusPort { get; } = busPort;

        public string Endpoint => $"127.0.0.1:{Port}";

        public ManagedProcess? Process { get; set; }
    }
}

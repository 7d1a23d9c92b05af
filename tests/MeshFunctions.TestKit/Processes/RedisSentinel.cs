using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// A real Redis Sentinel setup on loopback: one master, one replica (<c>--replicaof</c>) and three sentinels
/// (<c>redis-server &lt;conf&gt; --sentinel</c>, quorum 2, down-after 1 s) watching the master as <see cref="MasterName"/>.
/// A test can kill the master and wait until the sentinels report the promoted replica. No persistence; the binary comes
/// from <c>MF_REDIS_SERVER</c> or PATH.
/// </summary>
public sealed partial class RedisSentinel : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-sentinel-").FullName;
    private readonly Dictionary<int, ManagedProcess?> _data = [];
    private readonly Dictionary<int, ManagedProcess?> _sentinels = [];

    private RedisSentinel()
    {
    }

    /// <summary>The monitored master's name (the reference's first <c>REDIS_URL</c> entry with <c>REDIS_TYPE=SENTINEL</c>).</summary>
    public string MasterName { get; } = "mfmaster";

    /// <summary>The sentinels' <c>127.0.0.1:port</c> endpoints.</summary>
    public IReadOnlyList<string> SentinelEndpoints => [.. _sentinels.Keys.Select(p => $"127.0.0.1:{p}")];

    /// <summary>The reference's sentinel <c>REDIS_URL</c>: <c>mastername,host1:port1,host2:port2,…</c>.</summary>
    public string ReferenceUrl => string.Join(',', [MasterName, .. SentinelEndpoints]);

    /// <summary>StackExchange.Redis configuration for the current master through the sentinels (<c>serviceName=</c>).</summary>
    public string Configuration => string.Join(',', SentinelEndpoints) + ",serviceName=" + MasterName;

    /// <summary>Port of the master the setup started with.</summary>
    public int InitialMasterPort { get; private set; }

    /// <summary>Port of the replica the setup started with.</summary>
    public int InitialReplicaPort { get; private set; }

    /// <summary>Starts master, replica and sentinels; returns once the replica is in sync and every sentinel knows both the replica and the other sentinels.</summary>
    public static async Task<RedisSentinel> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = ExecutableLocator.Find("MF_REDIS_SERVER", "redis-server") ?? throw new TestDependencyMissingException(
            "redis-server was not found (MF_REDIS_SERVER, PATH). Install it with `apt-get install -y redis-server` " +
            "or run the tests through `bash eng/test.sh`, which installs it.");
        var setup = new RedisSentinel();
        try
        {
            setup.InitialMasterPort = await setup.StartAsync(server, port => ["--port", Text(port), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"], "redis-server (sentinel master)", setup._data, cancellationToken).ConfigureAwait(false);
            setup.InitialReplicaPort = await setup.StartAsync(
                server,
                port => ["--port", Text(port), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--replicaof", "127.0.0.1", Text(setup.InitialMasterPort)],
                "redis-server (sentinel replica)",
                setup._data,
                cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < 3; i++)
            {
                await setup.StartAsync(server, setup.SentinelArguments, "redis-server --sentinel", setup._sentinels, cancellationToken).ConfigureAwait(false);
            }

            await WaitAsync(
                async () =>
                {
                    var replication = await RedisCluster.CommandAsync(setup.InitialReplicaPort, "INFO replication", cancellationToken).ConfigureAwait(false);
                    if (!replication.Contains("master_link_status:up", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    foreach (var port in setup._sentinels.Keys)
                    {
                        var info = await RedisCluster.CommandAsync(port, "INFO sentinel", cancellationToken).ConfigureAwait(false);
                        if (!info.Contains($"status=ok,address=127.0.0.1:{setup.InitialMasterPort},slaves=1,sentinels=3", StringComparison.Ordinal))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                "the sentinels did not discover the replica and each other",
                cancellationToken).ConfigureAwait(false);
            return setup;
        }
        catch
        {
            await setup.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The master's port as one live sentinel reports it (<c>INFO sentinel</c>).</summary>
    public async Task<int> MasterPortAsync(CancellationToken cancellationToken = default)
    {
        var port = _sentinels.First(s => s.Value is { HasExited: false }).Key;
        var info = await RedisCluster.CommandAsync(port, "INFO sentinel", cancellationToken).ConfigureAwait(false);
        var match = MasterAddress().Match(info);
        return match.Success
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("the sentinel reported no master address: " + info);
    }

    /// <summary>Kills the current master (SIGKILL, no shutdown); returns its port.</summary>
    public async Task<int> KillMasterAsync(CancellationToken cancellationToken = default)
    {
        var port = await MasterPortAsync(cancellationToken).ConfigureAwait(false);
        if (_data[port] is { } process)
        {
            _data[port] = null;
            await process.KillAsync().ConfigureAwait(false);
            process.Dispose();
        }

        return port;
    }

    /// <summary>Waits until every live sentinel reports a master other than <paramref name="oldMasterPort"/> and that node answers as a master; returns its port.</summary>
    public async Task<int> WaitForNewMasterAsync(int oldMasterPort, CancellationToken cancellationToken = default)
    {
        var promoted = 0;
        await WaitAsync(
            async () =>
            {
                var ports = new HashSet<int>();
                foreach (var port in _sentinels.Where(s => s.Value is { HasExited: false }).Select(s => s.Key))
                {
                    var match = MasterAddress().Match(await RedisCluster.CommandAsync(port, "INFO sentinel", cancellationToken).ConfigureAwait(false));
                    ports.Add(match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
                }

                if (ports.Count != 1 || ports.Single() is var master && (master == oldMasterPort || master == 0))
                {
                    return false;
                }

                promoted = ports.Single();
                var replication = await RedisCluster.CommandAsync(promoted, "INFO replication", cancellationToken).ConfigureAwait(false);
                return replication.Contains("role:master", StringComparison.Ordinal);
            },
            "the sentinels did not promote the replica",
            cancellationToken).ConfigureAwait(false);
        return promoted;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var processes in new[] { _sentinels, _data })
        {
            foreach (var port in processes.Keys.ToList())
            {
                if (processes[port] is { } process)
                {
                    processes[port] = null;
                    await process.KillAsync().ConfigureAwait(false);
                    process.Dispose();
                }
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

    [GeneratedRegex(@"status=\w+,address=[^:,]+:(\d+)")]
    private static partial Regex MasterAddress();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitAsync(Func<Task<bool>> done, string failure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await done().ConfigureAwait(false))
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private string[] SentinelArguments(int port)
    {
        // Sentinel rewrites its configuration file, so each one gets its own.
        var file = Path.Combine(_directory, $"sentinel-{Text(port)}.conf");
        File.WriteAllText(file, string.Join('\n',
            $"port {Text(port)}",
            "bind 127.0.0.1",
            $"dir {_directory}",
            $"sentinel monitor {MasterName} 127.0.0.1 {Text(InitialMasterPort)} 2",
            $"sentinel down-after-milliseconds {MasterName} 1000",
            $"sentinel failover-timeout {MasterName} 5000",
            $"sentinel parallel-syncs {MasterName} 1",
            string.Empty));
        return [file, "--sentinel"];
    }

    private async Task<int> StartAsync(string binary, Func<int, string[]> arguments, string name, Dictionary<int, ManagedProcess?> into, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ManagedProcess.Start(binary, arguments(port), name, _directory);
            try
            {
                await FreePort.WaitListeningAsync(process, port, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                into[port] = process;
                return port;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                process.Dispose();
            }
        }
    }
}

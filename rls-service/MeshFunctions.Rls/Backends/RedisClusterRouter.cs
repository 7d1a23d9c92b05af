using System.Net;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Redis Cluster: the counters of one script call (one ShouldRateLimit call, or a batch) are grouped by the primary that
/// owns each key's hash slot, and each group is sent to its node as one script call, all groups in parallel — so a call
/// costs one round trip per distinct node, whatever its number of descriptors (envoyproxy/ratelimit's cluster client
/// also routes every key by its own slot, but sends one command per key). Fixed-window keys are the reference's names,
/// not hash-tagged (<see cref="RedisScriptCodec"/>), so both services count the same keys on a shared cluster. The keys
/// travel as arguments of <see cref="RedisScript.ClusterSource"/> (flag <c>allow-cross-slot-keys</c>), so keys of several
/// slots on one node go in one call. A failed node (connection refused, MOVED after a failover) fails the whole script
/// call (the failure mode applies) and refreshes the slot map, at most once a second, so the promoted replica is used
/// from then on.
/// </summary>
internal sealed class RedisClusterRouter
{
    private static readonly string Source = RedisScript.ClusterSource;
    private static readonly string Sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Source)));
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private long _lastRefresh;
    private volatile ClusterConfiguration? _slots;

    public RedisClusterRouter(IConnectionMultiplexer redis, TimeProvider time)
    {
        _redis = redis;
        _time = time;
    }

    /// <summary>Runs the script for <paramref name="keys"/> (and their four arguments each after <c>args[0]</c> = now), one call per node.</summary>
    public async Task<RedisResult> EvaluateAsync(RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            var groups = Group(_slots ?? await RefreshAsync().ConfigureAwait(false), keys);
            if (groups.Count == 1)
            {
                var (endpoint, indexes) = groups.First();
                return RedisResult.Create(await SendAsync(endpoint, indexes, keys, args).ConfigureAwait(false));
            }

            var sends = new Task<RedisValue[]>[groups.Count];
            var order = new List<int>[groups.Count];
            var g = 0;
            foreach (var (endpoint, indexes) in groups)
            {
                order[g] = indexes;
                sends[g++] = SendAsync(endpoint, indexes, keys, args);
            }

            await Task.WhenAll(sends).ConfigureAwait(false);
            return RedisResult.Create(Merge(keys.Length, args, order, sends));
        }
        catch (RedisException)
        {
            Refresh();
            throw;
        }
    }

    /// <summary>Loads the slot map and the script on every connected primary (a promoted replica loads it on its first NOSCRIPT).</summary>
    public async Task LoadAsync()
    {
        await RefreshAsync().ConfigureAwait(false);
        foreach (var endpoint in _redis.GetEndPoints())
        {
            var server = _redis.GetServer(endpoint);
            if (server.IsConnected && !server.IsReplica)
            {
                await server.ScriptLoadAsync(Source).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the slot map (CLUSTER NODES) from the first node that answers.</summary>
    private async Task<ClusterConfiguration> RefreshAsync()
    {
        foreach (var server in _redis.GetServers().Where(s => s.IsConnected))
        {
            try
            {
                if (await server.ClusterNodesAsync().ConfigureAwait(false) is { } configuration)
                {
                    _slots = configuration;
                    return configuration;
                }
            }
            catch (RedisException)
            {
                // Try the next node.
            }
        }

        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no cluster node answered CLUSTER NODES");
    }

    private static Dictionary<EndPoint, List<int>> Group(ClusterConfiguration configuration, RedisKey[] keys)
    {
        var groups = new Dictionary<EndPoint, List<int>>();
        for (var i = 0; i < keys.Length; i++)
        {
            var endpoint = (configuration.GetBySlot(keys[i]) is { IsReplica: false } node ? node.EndPoint : null)
                ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"no node serves the slot of '{keys[i]}'");
            if (!groups.TryGetValue(endpoint, out var list))
            {
                groups[endpoint] = list = [];
            }

            list.Add(i);
        }

        return groups;
    }

    private async Task<RedisValue[]> SendAsync(EndPoint endpoint, List<int> indexes, RedisKey[] keys, RedisValue[] args)
    {
        // EVALSHA sha 0 count key... now (alg limit window hits)...
        var command = new object[3 + indexes.Count + 1 + (4 * indexes.Count)];
        command[0] = Sha;
        command[1] = 0;
        command[2] = indexes.Count;
        var a = 3 + indexes.Count;
        command[a++] = args[0];
        for (var j = 0; j < indexes.Count; j++)
        {
            var i = indexes[j];
            command[3 + j] = (string)keys[i]!;
            for (var k = 1; k <= 4; k++)
            {
                command[a++] = args[(4 * i) + k];
            }
        }

        var server = _redis.GetServer(endpoint);
        RedisResult result;
        try
        {
            result = await server.ExecuteAsync("EVALSHA", command).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            command[0] = Source;
            result = await server.ExecuteAsync("EVAL", command).ConfigureAwait(false);
        }

        return (RedisValue[]?)result ?? [];
    }

    /// <summary>Puts the per-node replies back in key order: one value per fixed window, four per other counter.</summary>
    private static RedisValue[] Merge(int keyCount, RedisValue[] args, List<int>[] order, Task<RedisValue[]>[] sends)
    {
        var width = new int[keyCount];
        var start = new int[keyCount];
        var total = 0;
        for (var i = 0; i < keyCount; i++)
        {
            width[i] = RedisScriptCodec.ReplyWidth(args[1 + (RedisScriptCodec.ArgumentsPerCheck * i)]);
            total += width[i];
        }

        var merged = new RedisValue[total];
        for (int i = 0, p = 0; i < keyCount; i++)
        {
            start[i] = p;
            p += width[i];
        }

        for (var g = 0; g < order.Length; g++)
        {
            var reply = sends[g].Result;
            var position = 0;
            foreach (var i in order[g])
            {
                if (position + width[i] > reply.Length)
                {
                    throw new RedisServerException("short script reply");
                }

                Array.Copy(reply, position, merged, start[i], width[i]);
                position += width[i];
            }
        }

        return merged;
    }

    private void Refresh()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastRefresh);
        if (last != 0 && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastRefresh, now, last) == last)
        {
            _ = RefreshAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }
}

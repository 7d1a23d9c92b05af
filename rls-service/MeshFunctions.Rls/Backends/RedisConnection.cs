using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MeshFunctions.Rls.Observability;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// One Redis deployment (a single Redis, a Sentinel-watched master or a Cluster) and the script call on it: keys and
/// arguments encoded, one script call (one per node in a cluster) through a Polly circuit breaker and timeout, the reply
/// decoded into results — or the configured failure mode when Redis fails, times out or is stalled. Owns its
/// multiplexer; knows nothing of batching (<see cref="RedisBatcher"/> calls <see cref="CheckBatchAsync"/>).
/// </summary>
internal sealed partial class RedisConnection : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly RedisStallGate _stallGate = new();
    private readonly RedisClusterRouter? _cluster;
    private readonly OverLimitCache? _overLimit;
    private volatile bool _breakerOpen;

    /// <param name="name">What this Redis holds, for logs ("main", "per-second").</param>
    /// <param name="configuration">StackExchange.Redis configuration string.</param>
    /// <param name="cluster">The configuration names Redis Cluster nodes.</param>
    /// <param name="options">Timeout, breaker, failure mode, key prefix and TLS files (shared by every Redis, as in the reference).</param>
    /// <param name="overLimit">Where fixed windows found over their limit are remembered, or null.</param>
    /// <param name="metrics">Redis call metrics.</param>
    /// <param name="time">Clock of the breaker and timeout.</param>
    /// <param name="logger">Breaker and failure logs.</param>
    /// <param name="breakerChanged">Called after the circuit opens or closes.</param>
    public RedisConnection(string name, string configuration, bool cluster, RlsOptions options, OverLimitCache? overLimit, RlsMetrics metrics, TimeProvider time, ILogger logger, Action breakerChanged)
    {
        Name = name;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _overLimit = overLimit;
        var config = ConfigurationOptions.Parse(configuration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
        config.ReconnectRetryPolicy = new LinearRetry(250);
        if (options.RedisTlsClientCertificate is { } clientCertificate)
        {
            var certificate = X509Certificate2.CreateFromPemFile(clientCertificate, options.RedisTlsClientKey);
            config.CertificateSelection += (_, _, _, _, _) => certificate;
        }

        if (options.RedisTlsCaCertificate is { } ca)
        {
            config.TrustIssuer(ca);
        }

        if (!options.RedisDedicatedSocketThreads)
        {
            config.SocketManager = SocketManager.ThreadPool;
        }

        if (cluster)
        {
            // The cluster router reads the slot map with CLUSTER NODES itself (after a failover), an admin command.
            config.AllowAdmin = true;
        }

        _redis = ConnectionMultiplexer.Connect(config);
        _cluster = cluster ? new RedisClusterRouter(_redis, time) : null;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                StateProvider = _breakerState,
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutRejectedException>().Handle<TimeoutException>(),
                OnOpened = args =>
                {
                    _breakerOpen = true;
                    breakerChanged();
                    Log.BreakerOpened(_logger, Name, args.BreakDuration, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _breakerOpen = false;
                    breakerChanged();
                    Log.BreakerClosed(_logger, Name);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RedisTimeout)
            .Build();
    }

    public string Name { get; }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>True while a call that timed out is still unanswered, so new calls get the failure mode at once.</summary>
    public bool Stalled => _stallGate.IsStalled;

    /// <summary>True while calls are short-circuited to the failure mode.</summary>
    public bool BreakerOpen => _breakerState.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>True from the circuit's opening until it closes again (half-open probes included): the breaker gauge.</summary>
    public bool BreakerNotClosed => _breakerOpen;

    /// <summary>Loads the script on every primary (so calls send EVALSHA, not the source) and, in a cluster, reads the slot map.</summary>
    public async Task LoadScriptAsync(CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            await _cluster.LoadAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var endpoint in _redis.GetEndPoints())
        {
            var server = _redis.GetServer(endpoint);
            if (server.IsConnected && !server.IsReplica)
            {
                await server.ScriptLoadAsync(RedisScript.Source).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks one call's counters in one script call.</summary>
    public async ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[checks.Length];
        var args = new RedisValue[RedisScriptCodec.ArgumentCount(checks.Length)];
        args[0] = nowMs;
        RedisScriptCodec.Encode(checks.Span, keys, args, 0, nowMs, _options.CacheKeyPrefix, _cluster is not null);
        var values = await EvaluateAsync(keys, args, 1, cancellationToken).ConfigureAwait(false);
        if (RedisScriptCodec.Decode(values, 0, nowMs, checks.Span, results.Span, _overLimit) < 0)
        {
            Fail(checks.Span, results.Span);
        }
    }

    /// <summary>Checks the counters of several calls in one script call, at the latest of their clocks.</summary>
    public async Task CheckBatchAsync(RedisCallSlot[] batch, int checkCount)
    {
        var now = 0L;
        foreach (var slot in batch)
        {
            now = Math.Max(now, slot.NowMs);
        }

        var keys = new RedisKey[checkCount];
        var args = new RedisValue[RedisScriptCodec.ArgumentCount(checkCount)];
        args[0] = now;
        var offset = 0;
        foreach (var slot in batch)
        {
            RedisScriptCodec.Encode(slot.Checks.Span, keys, args, offset, now, _options.CacheKeyPrefix, _cluster is not null);
            offset += slot.Checks.Length;
        }

        var values = await EvaluateAsync(keys, args, batch.Length, CancellationToken.None).ConfigureAwait(false);
        var position = 0;
        foreach (var slot in batch)
        {
            position = position < 0 ? -1 : RedisScriptCodec.Decode(values, position, now, slot.Checks.Span, slot.Results.Span, _overLimit);
            if (position < 0)
            {
                Fail(slot.Checks.Span, slot.Results.Span);
            }
        }
    }

    /// <summary>The failure answer for <paramref name="checks"/>, counted as a Redis error by the caller that failed.</summary>
    public void Fail(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results) => RedisScriptCodec.Fail(checks, results, _options.FailureMode);

    /// <summary>
    /// Runs the script for <paramref name="calls"/> ShouldRateLimit calls through the breaker and timeout; null when Redis
    /// failed or is stalled (the failure mode applies).
    /// </summary>
    private async ValueTask<long[]?> EvaluateAsync(RedisKey[] keys, RedisValue[] args, int calls, CancellationToken cancellationToken)
    {
        if (_stallGate.IsStalled)
        {
            // An earlier call is still waiting past the timeout; this one would queue behind it on the connection.
            _metrics.RedisErrors.Inc();
            _metrics.RedisStalledCalls.Inc();
            return null;
        }

        _metrics.RedisBatchCalls.Observe(calls);
        var started = Stopwatch.GetTimestamp();
        var call = new RedisCall(_redis.GetDatabase(), _cluster, keys, args);
        try
        {
            var reply = await _pipeline.ExecuteAsync(
                static (call, ct) => new ValueTask<RedisResult>(call.Start().WaitAsync(ct)),
                call,
                cancellationToken).ConfigureAwait(false);
            return (long[]?)reply ?? [];
        }
        catch (Exception ex) when (ex is RedisException or TimeoutRejectedException or BrokenCircuitException or TimeoutException)
        {
            if (ex is TimeoutRejectedException)
            {
                _metrics.RedisTimeouts.Inc();
                if (call.Sent is { } sent)
                {
                    _stallGate.OnTimeout(sent);
                }
            }

            _metrics.RedisErrors.Inc();
            Log.RedisCallFailed(_logger, Name, ex.GetType().Name, ex.Message);
            return null;
        }
        finally
        {
            _metrics.RedisCallDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public void Dispose() => _redis.Dispose();

    /// <summary>One script call; keeps the Redis task so a timed-out call can still be watched for its late reply.</summary>
    private sealed class RedisCall(IDatabase db, RedisClusterRouter? cluster, RedisKey[] keys, RedisValue[] args)
    {
        public Task<RedisResult>? Sent { get; private set; }

        public Task<RedisResult> Start() => Sent = cluster is null ? db.ScriptEvaluateAsync(RedisScript.Source, keys, args) : cluster.EvaluateAsync(keys, args);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Redis ({Name}) circuit opened for {BreakDuration}; answering with the configured failure mode")]
        public static partial void BreakerOpened(ILogger logger, string name, TimeSpan breakDuration, Exception? exception);

        [LoggerMessage(21, LogLevel.Information, "Redis ({Name}) circuit closed; counting in Redis again")]
        public static partial void BreakerClosed(ILogger logger, string name);

        [LoggerMessage(22, LogLevel.Debug, "Redis ({Name}) call failed ({Kind}): {Message}")]
        public static partial void RedisCallFailed(ILogger logger, string name, string kind, string message);
    }
}

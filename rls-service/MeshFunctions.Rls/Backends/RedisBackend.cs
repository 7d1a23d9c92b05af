using System.Diagnostics;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Counters in Redis: one script call per ShouldRateLimit whatever the number of descriptors.
/// Concurrent calls share one multiplexed connection, so StackExchange.Redis pipelines them onto the
/// socket together. A Polly timeout and circuit breaker bound every call: while Redis is slow or down
/// the answer is the configured failure mode within the timeout, or at once while the circuit is open.
/// With <see cref="RlsOptions.RedisBatching"/>, concurrent calls are merged into one script call.
/// </summary>
internal sealed partial class RedisBackend : IRateLimitBackend, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly ILogger<RedisBackend> _logger;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly RedisBatcher? _batcher;
    private readonly OverLimitCache? _overLimit;
    private readonly RedisStallGate _stallGate = new();
    private readonly TimeProvider _time;
    private readonly RedisClusterRouter? _cluster;
    private int _disposed;

    public RedisBackend(IOptions<RlsOptions> options, RlsMetrics metrics, TimeProvider time, ILogger<RedisBackend> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        var config = ConfigurationOptions.Parse(_options.RedisConfiguration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
        config.ReconnectRetryPolicy = new LinearRetry(250);
        if (_options.RedisTlsClientCertificate is { } clientCertificate)
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(clientCertificate, _options.RedisTlsClientKey);
            config.CertificateSelection += (_, _, _, _, _) => certificate;
        }

        if (_options.RedisTlsCaCertificate is { } ca)
        {
            config.TrustIssuer(ca);
        }

        if (!_options.RedisDedicatedSocketThreads)
        {
            config.SocketManager = SocketManager.ThreadPool;
        }
        if (_options.RedisCluster)
        {
            // The cluster router reads the slot map with CLUSTER NODES itself (after a failover), an admin command.
            config.AllowAdmin = true;
        }

        _redis = ConnectionMultiplexer.Connect(config);
        _cluster = _options.RedisCluster ? new RedisClusterRouter(_redis, time) : null;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = _options.BreakerFailureRatio,
                MinimumThroughput = _options.BreakerMinimumThroughput,
                SamplingDuration = _options.BreakerSamplingDuration,
                BreakDuration = _options.BreakerBreakDuration,
                StateProvider = _breakerState,
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutRejectedException>().Handle<TimeoutException>(),
                OnOpened = args =>
                {
                    _metrics.BreakerOpen.Set(1);
                    Log.BreakerOpened(_logger, args.BreakDuration, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _metrics.BreakerOpen.Set(0);
                    Log.BreakerClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.RedisTimeout)
            .Build();
        _overLimit = _options.RedisOverLimitCache ? new OverLimitCache() : null;
        _batcher = _options.RedisBatching ? new RedisBatcher(this, _options.RedisMaxBatchesInFlight, _options.RedisMaxQueuedCalls, metrics) : null;
    }

    /// <summary>True while a call that timed out is still unanswered, so new calls get the failure mode at once.</summary>
    public bool Stalled => _stallGate.IsStalled;

    /// <summary>True while calls are short-circuited to the failure mode.</summary>
    public bool BreakerOpen => _breakerState.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// Waits for the connection, loads the script on every primary (so calls send EVALSHA, not the source) and runs the
    /// real check path on warm-up counters until five calls in a row are counted within <see cref="RlsOptions.RedisTimeout"/>.
    /// </summary>
    public async ValueTask<bool> WarmAsync(CancellationToken cancellationToken)
    {
        if (!_redis.IsConnected)
        {
            return false;
        }

        if (_cluster is not null)
        {
            await _cluster.LoadAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var endpoint in _redis.GetEndPoints())
            {
                var server = _redis.GetServer(endpoint);
                if (server.IsConnected && !server.IsReplica)
                {
                    await server.ScriptLoadAsync(RedisScript.Source).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var checks = WarmupChecks.Create();
        var results = new CounterResult[checks.Length];
        var counted = 0;
        for (var attempt = 0; attempt < 50 && counted < 5; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CheckAsync(checks, results, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            counted = results.Any(r => r.Failed) ? 0 : counted + 1;
        }

        return counted >= 5;
    }

    public ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        if (_overLimit is not null && AnswerFromCache(checks.Span, results.Span, nowMs, out var answered))
        {
            return answered == checks.Length ? ValueTask.CompletedTask : CheckRemainingAsync(checks, results, nowMs, cancellationToken);
        }

        return SendAsync(checks, results, nowMs, cancellationToken);
    }

    private ValueTask SendAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken) =>
        _batcher is not null ? new ValueTask(_batcher.CheckAsync(checks, results, nowMs)) : SendAloneAsync(checks, results, nowMs, cancellationToken);

    private async ValueTask SendAloneAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[checks.Length];
        var args = new RedisValue[1 + (4 * checks.Length)];
        args[0] = nowMs;
        AddArguments(checks.Span, keys, args, 0);
        var values = await EvaluateAsync(keys, args, 1, cancellationToken).ConfigureAwait(false);
        ReadResults(values, 0, nowMs, checks.Span, results.Span);
    }

    /// <summary>Fills the results of checks known over the limit; true when at least one was.</summary>
    private bool AnswerFromCache(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results, long nowMs, out int answered)
    {
        answered = 0;
        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i].Algorithm == RlsAlgorithm.FixedWindow && _overLimit!.TryGet(checks[i], nowMs, out results[i]))
            {
                answered++;
            }
        }

        if (answered > 0)
        {
            _metrics.OverLimitLocalCache.Inc(answered);
        }

        return answered > 0;
    }

    /// <summary>Sends only the checks the local cache did not answer (rare: some counters of one call over, some not).</summary>
    private async ValueTask CheckRemainingAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var pending = new List<int>(checks.Length);
        var remaining = new List<CounterCheck>(checks.Length);
        for (var i = 0; i < checks.Length; i++)
        {
            var check = checks.Span[i];
            if (check.Algorithm != RlsAlgorithm.FixedWindow || !_overLimit!.TryGet(check, nowMs, out _))
            {
                pending.Add(i);
                remaining.Add(check);
            }
        }

        var own = new CounterResult[remaining.Count];
        await SendAsync(remaining.ToArray(), own, nowMs, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < pending.Count; j++)
        {
            results.Span[pending[j]] = own[j];
        }
    }

    /// <summary>Writes the keys and per-check arguments of <paramref name="checks"/> from position <paramref name="offset"/>.</summary>
    internal void AddArguments(ReadOnlySpan<CounterCheck> checks, RedisKey[] keys, RedisValue[] args, int offset)
    {
        for (var i = 0; i < checks.Length; i++)
        {
            // In a cluster the key is a hash tag, so the window keys the script derives stay in its slot.
            keys[offset + i] = _cluster is null ? _options.CacheKeyPrefix + checks[i].Key : "{" + _options.CacheKeyPrefix + checks[i].Key + "}";
            var b = 1 + (4 * (offset + i));
            args[b] = checks[i].Algorithm switch
            {
                RlsAlgorithm.SlidingWindow => 1,
                RlsAlgorithm.TokenBucket => 2,
                _ => 0,
            };
            args[b + 1] = checks[i].Limit;
            args[b + 2] = checks[i].WindowMs;
            args[b + 3] = checks[i].Hits;
        }
    }

    /// <summary>
    /// Runs the script for <paramref name="calls"/> ShouldRateLimit calls through the breaker and timeout; null
    /// when Redis failed or is stalled (the failure mode applies).
    /// </summary>
    internal async ValueTask<long[]?> EvaluateAsync(RedisKey[] keys, RedisValue[] args, int calls, CancellationToken cancellationToken)
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
            if (ex is TimeoutRejectedException && call.Sent is { } sent)
            {
                _stallGate.OnTimeout(sent);
            }

            _metrics.RedisErrors.Inc();
            Log.RedisCallFailed(_logger, ex.GetType().Name, ex.Message);
            return null;
        }
        finally
        {
            _metrics.RedisCallDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// Fills <paramref name="results"/> from the script's reply read from <paramref name="position"/> (one number
    /// per fixed window, four per other counter) for a script run at <paramref name="nowMs"/>, or with the failure
    /// mode. Returns the position after these checks.
    /// </summary>
    internal int ReadResults(long[]? values, int position, long nowMs, ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results)
    {
        for (var i = 0; i < checks.Length; i++)
        {
            var fixedWindow = checks[i].Algorithm == RlsAlgorithm.FixedWindow;
            if (values is null || values.Length < position + (fixedWindow ? 1 : 4))
            {
                FailAll(checks, results);
                return position;
            }

            if (fixedWindow)
            {
                results[i] = FixedResult(checks[i], values[position++], nowMs);
            }
            else
            {
                results[i] = new CounterResult(values[position] == 1, values[position + 1], values[position + 2], values[position + 3]);
                position += 4;
            }
        }

        return position;
    }

    /// <summary>The fixed-window verdict from the count after the hit (the script's rule, computed here to keep its reply small).</summary>
    private CounterResult FixedResult(in CounterCheck check, long count, long nowMs)
    {
        var start = nowMs - (nowMs % check.WindowMs);
        var reset = start + check.WindowMs - nowMs;
        if (count <= check.Limit)
        {
            return new CounterResult(true, check.Limit - count, reset, count);
        }

        _overLimit?.Add(check, start, count);
        return new CounterResult(false, 0, reset, count);
    }

    private void FailAll(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results)
    {
        var admit = _options.FailureMode == RlsFailureMode.Open;
        for (var i = 0; i < checks.Length; i++)
        {
            results[i] = new CounterResult(admit, admit ? checks[i].Limit : 0, checks[i].WindowMs, 0, Failed: true);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _batcher?.Dispose();
        _redis.Dispose();
    }

    /// <summary>One script call; keeps the Redis task so a timed-out call can still be watched for its late reply.</summary>
    private sealed class RedisCall(IDatabase db, RedisClusterRouter? cluster, RedisKey[] keys, RedisValue[] args)
    {
        public Task<RedisResult>? Sent { get; private set; }

        public Task<RedisResult> Start() => Sent = cluster is null ? db.ScriptEvaluateAsync(RedisScript.Source, keys, args) : cluster.EvaluateAsync(keys, args);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Redis circuit opened for {BreakDuration}; answering with the configured failure mode")]
        public static partial void BreakerOpened(ILogger logger, TimeSpan breakDuration, Exception? exception);

        [LoggerMessage(21, LogLevel.Information, "Redis circuit closed; counting in Redis again")]
        public static partial void BreakerClosed(ILogger logger);

        [LoggerMessage(22, LogLevel.Debug, "Redis call failed ({Kind}): {Message}")]
        public static partial void RedisCallFailed(ILogger logger, string kind, string message);
    }
}

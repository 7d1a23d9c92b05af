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
/// </summary>
internal sealed partial class RedisBackend : IRateLimitBackend, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly ILogger<RedisBackend> _logger;
    private readonly CircuitBreakerStateProvider _breakerState = new();

    public RedisBackend(IOptions<RlsOptions> options, RlsMetrics metrics, TimeProvider time, ILogger<RedisBackend> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        var config = ConfigurationOptions.Parse(_options.RedisConfiguration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
        config.ReconnectRetryPolicy = new LinearRetry(250);
        _redis = ConnectionMultiplexer.Connect(config);
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
    }

    /// <summary>True while calls are short-circuited to the failure mode.</summary>
    public bool BreakerOpen => _breakerState.CircuitState is CircuitState.Open or CircuitState.Isolated;

    public async ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[checks.Length];
        var args = new RedisValue[1 + (4 * checks.Length)];
        args[0] = nowMs;
        var span = checks.Span;
        for (var i = 0; i < span.Length; i++)
        {
            keys[i] = _options.CacheKeyPrefix + span[i].Key;
            var b = 1 + (4 * i);
            args[b] = span[i].Algorithm switch
            {
                RlsAlgorithm.SlidingWindow => 1,
                RlsAlgorithm.TokenBucket => 2,
                _ => 0,
            };
            args[b + 1] = span[i].Limit;
            args[b + 2] = span[i].WindowMs;
            args[b + 3] = span[i].Hits;
        }

        RedisResult reply;
        try
        {
            reply = await _pipeline.ExecuteAsync(
                static (state, ct) => new ValueTask<RedisResult>(state.Db.ScriptEvaluateAsync(RedisScript.Source, state.Keys, state.Args).WaitAsync(ct)),
                (Db: _redis.GetDatabase(), Keys: keys, Args: args),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutRejectedException or BrokenCircuitException or TimeoutException)
        {
            _metrics.RedisErrors.Inc();
            Log.RedisCallFailed(_logger, ex.GetType().Name, ex.Message);
            FailAll(checks.Span, results.Span);
            return;
        }

        var values = (long[]?)reply ?? [];
        var output = results.Span;
        for (var i = 0; i < output.Length && (4 * i) + 3 < values.Length; i++)
        {
            var b = 4 * i;
            output[i] = new CounterResult(values[b] == 1, values[b + 1], values[b + 2], values[b + 3]);
        }
    }

    private void FailAll(ReadOnlySpan<CounterCheck> checks, Span<CounterResult> results)
    {
        var admit = _options.FailureMode == RlsFailureMode.Open;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new CounterResult(admit, admit ? checks[i].Limit : 0, checks[i].WindowMs, 0, Failed: true);
        }
    }

    public void Dispose() => _redis.Dispose();

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

using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Observability;
using MeshFunctions.TestKit.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Tests.Redis;

/// <summary>
/// The Redis batcher's queue against a hung Redis (paused): calls beyond Rls:RedisMaxQueuedCalls get the failure mode at
/// once (counted), and disposing the backend (shutdown) answers every queued call with the failure mode.
/// </summary>
public sealed class RedisBatcherBoundTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CounterCheck Check(int i) => new("q" + i, RlsAlgorithm.FixedWindow, 100, 60_000, 1);

    [Fact]
    public async Task CheckAsync_QueueFullOrShutdown_FailureModeInsteadOfWaiting()
    {
        await using var redis = await RedisServer.StartAsync();
        var metrics = new RlsMetrics(Prometheus.Metrics.NewCustomRegistry());
        var backend = new RedisBackend(
            Options.Create(new RlsOptions
            {
                RedisConfiguration = redis.Endpoint,
                RedisTimeout = TimeSpan.FromSeconds(10),
                RedisMaxBatchesInFlight = 1,
                RedisMaxQueuedCalls = 3,
                FailureMode = RlsFailureMode.Closed,
                RedisOverLimitCache = false,
            }),
            metrics,
            TimeProvider.System,
            NullLogger<RedisBackend>.Instance);
        try
        {
            using (var warm = new CancellationTokenSource(Patience))
            {
                while (!await backend.WarmAsync(warm.Token))
                {
                    await Task.Delay(50, warm.Token);
                }
            }

            redis.Pause();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var results = Enumerable.Range(0, 6).Select(_ => new CounterResult[1]).ToArray();

            // Call 0 is sent and hangs; the batch loop then waits for the in-flight slot, so calls 1-3 stay queued.
            var sentBefore = metrics.RedisBatchCalls.Count;
            _ = backend.CheckAsync(new[] { Check(0) }, results[0], now, CancellationToken.None).AsTask();
            using (var sent = new CancellationTokenSource(Patience))
            {
                while (metrics.RedisBatchCalls.Count == sentBefore)
                {
                    await Task.Delay(10, sent.Token);
                }
            }

            var queued = Enumerable.Range(1, 3).Select(i => backend.CheckAsync(new[] { Check(i) }, results[i], now, CancellationToken.None).AsTask()).ToArray();
            var rejected = backend.CheckAsync(new[] { Check(4) }, results[4], now, CancellationToken.None).AsTask();

            Assert.True(rejected.IsCompleted);
            Assert.True(results[4][0].Failed);
            Assert.False(results[4][0].Admitted); // FailureMode Closed
            Assert.Equal(1, metrics.RedisQueueRejected.Value);
            Assert.All(queued, t => Assert.False(t.IsCompleted));

            backend.Dispose();
            await Task.WhenAll(queued).WaitAsync(Patience);
            Assert.All(results[1..4], r => Assert.True(r[0].Failed));
        }
        finally
        {
            redis.Resume();
            backend.Dispose();
        }
    }
}

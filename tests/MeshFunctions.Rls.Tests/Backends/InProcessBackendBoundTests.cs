using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Rls.Tests.Backends;

/// <summary>Rls:MaxInProcessCounters: expired counters go first, then the live ones closest to expiry; evictions counted.</summary>
public sealed class InProcessBackendBoundTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RlsMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<CounterResult> HitAsync(InProcessBackend backend, string key, long windowMs)
    {
        var results = new CounterResult[1];
        await backend.CheckAsync(new[] { new CounterCheck(key, RlsAlgorithm.FixedWindow, 100, windowMs, 1) }, results, Now, CancellationToken.None);
        return results[0];
    }

    [Fact]
    public async Task CheckAsync_BoundReached_SoonestExpiringLiveCounterEvictedAndCounted()
    {
        using var backend = new InProcessBackend(_time, 10, _metrics);
        for (var i = 0; i < 10; i++)
        {
            // key0 has the shortest window, so it expires first.
            await HitAsync(backend, "key" + i, 60_000 * (i + 1));
        }

        await HitAsync(backend, "key10", 3_600_000);

        Assert.Equal(10, backend.Count);
        Assert.Equal(1, _metrics.InProcessEvictions.Value);
        Assert.Equal(2, (await HitAsync(backend, "key9", 600_000)).Used);
        Assert.Equal(1, (await HitAsync(backend, "key0", 60_000)).Used); // evicted: counts again from zero
    }

    [Fact]
    public async Task CheckAsync_BoundReachedWithExpiredCounters_SweepsInsteadOfEvicting()
    {
        using var backend = new InProcessBackend(_time, 10, _metrics);
        for (var i = 0; i < 10; i++)
        {
            await HitAsync(backend, "old" + i, 1000);
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await HitAsync(backend, "new", 1000);

        Assert.Equal(1, backend.Count);
        Assert.Equal(0, _metrics.InProcessEvictions.Value);
    }

    [Fact]
    public async Task CheckAsync_ManyNewKeys_CountNeverExceedsBound()
    {
        using var backend = new InProcessBackend(_time, 100, _metrics);

        await Parallel.ForAsync(0, 5000, async (i, _) => await HitAsync(backend, "k" + i, 60_000));

        Assert.InRange(backend.Count, 1, 100 + Environment.ProcessorCount);
        Assert.True(_metrics.InProcessEvictions.Value >= 4900 - Environment.ProcessorCount);
    }
}

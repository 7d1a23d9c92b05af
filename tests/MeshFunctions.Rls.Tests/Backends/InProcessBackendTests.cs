using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Rls.Backends;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Rls.Tests.Backends;

public sealed class InProcessBackendTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:10Z", System.Globalization.CultureInfo.InvariantCulture));

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static async Task<CounterResult> CheckAsync(InProcessBackend backend, CounterCheck check, long now)
    {
        var results = new CounterResult[1];
        await backend.CheckAsync(new[] { check }, results, now, CancellationToken.None);
        return results[0];
    }

    [Fact]
    public async Task CheckAsync_ParallelHitsOnOneKey_AdmitsExactlyTheLimit()
    {
        using var backend = new InProcessBackend(_time);
        var check = new CounterCheck("k", RlsAlgorithm.FixedWindow, 1000, 60_000, 1);
        var admitted = 0;
        await Parallel.ForAsync(0, 5000, async (_, _) =>
        {
            if ((await CheckAsync(backend, check, Now)).Admitted)
            {
                Interlocked.Increment(ref admitted);
            }
        });
        Assert.Equal(1000, admitted);
    }

    [Fact]
    public async Task Sweep_ExpiredCounters_RemovedLiveOnesKept()
    {
        using var backend = new InProcessBackend(_time);
        await CheckAsync(backend, new CounterCheck("second", RlsAlgorithm.FixedWindow, 5, 1000, 1), Now);
        await CheckAsync(backend, new CounterCheck("hour", RlsAlgorithm.FixedWindow, 5, 3_600_000, 1), Now);
        Assert.Equal(2, backend.Count);

        _time.Advance(TimeSpan.FromSeconds(5));
        backend.Sweep();
        Assert.Equal(1, backend.Count);

        // The surviving counter still holds its count.
        Assert.Equal(3, (await CheckAsync(backend, new CounterCheck("hour", RlsAlgorithm.FixedWindow, 5, 3_600_000, 1), Now)).Remaining);
    }

    [Fact]
    public async Task CheckAsync_TokenBucketZeroLimit_AlwaysOver()
    {
        using var backend = new InProcessBackend(_time);
        Assert.False((await CheckAsync(backend, new CounterCheck("z", RlsAlgorithm.TokenBucket, 0, 1000, 1), Now)).Admitted);
    }
}

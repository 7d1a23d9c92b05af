using System.Diagnostics;
using MeshFunctions.Webhooks.Http;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>
/// The endpoint's per-request deadlines (<see cref="SharedDeadlines"/>): a token is never cancelled before the deadline,
/// it is cancelled (waited for under a hang guard), and requests within one tick share a source.
/// </summary>
public sealed class SharedDeadlinesTests
{
    [Fact]
    public async Task Next_ShortDeadline_CancelledButNotBeforeTheDeadline()
    {
        var deadline = TimeSpan.FromMilliseconds(200);
        var deadlines = new SharedDeadlines(deadline);
        var started = Stopwatch.GetTimestamp();
        var token = deadlines.Next();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(TimeSpan.FromMinutes(2), token));

        // Timers resolve to the millisecond: allow that much, never more.
        Assert.True(Stopwatch.GetElapsedTime(started) >= deadline - TimeSpan.FromMilliseconds(2), $"cancelled after {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public void Next_ManyRequests_AtMostOneSourcePerTick()
    {
        var deadline = TimeSpan.FromHours(1);
        var tick = TimeSpan.FromMilliseconds(50);
        var deadlines = new SharedDeadlines(deadline);
        var started = Stopwatch.GetTimestamp();
        var tokens = new HashSet<CancellationToken>();
        for (var i = 0; i < 20_000; i++)
        {
            tokens.Add(deadlines.Next());
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        // A source serves every request for one tick after it is made, so there are at most elapsed / tick + 1 of them.
        Assert.InRange(tokens.Count, 1, (int)(elapsed / tick) + 1);
        Assert.All(tokens, t => Assert.False(t.IsCancellationRequested));
    }
}

using MeshFunctions.Webhooks.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>
/// The endpoint's per-request deadlines (<see cref="SharedDeadlines"/>) on a fake clock: a token is not cancelled before
/// the deadline, is cancelled by the deadline plus one tick, and requests within one tick share a source.
/// </summary>
public sealed class SharedDeadlinesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Next_ClockReachesTheDeadline_CancelledNotBefore()
    {
        var time = new FakeTimeProvider();
        var deadlines = new SharedDeadlines(Deadline, time);
        var token = deadlines.Next();

        time.Advance(Deadline - TimeSpan.FromTicks(1));
        Assert.False(token.IsCancellationRequested);

        time.Advance(deadlines.Tick + TimeSpan.FromTicks(1));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Next_LateInATick_StillGetsTheWholeDeadline()
    {
        var time = new FakeTimeProvider();
        var deadlines = new SharedDeadlines(Deadline, time);
        var first = deadlines.Next();

        time.Advance(deadlines.Tick - TimeSpan.FromTicks(1));
        var late = deadlines.Next();
        time.Advance(Deadline - TimeSpan.FromTicks(1));

        Assert.Equal(first, late);
        Assert.False(late.IsCancellationRequested);
    }

    [Fact]
    public void Next_ManyRequestsAcrossTicks_OneSourcePerTick()
    {
        var time = new FakeTimeProvider();
        var deadlines = new SharedDeadlines(TimeSpan.FromHours(1), time);
        var tokens = new HashSet<CancellationToken>();
        const int ticks = 10;
        for (var t = 0; t < ticks; t++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                tokens.Add(deadlines.Next());
            }

            // Just past the tick: the previous source could no longer give a whole deadline.
            time.Advance(deadlines.Tick + TimeSpan.FromTicks(1));
        }

        Assert.Equal(ticks, tokens.Count);
        Assert.All(tokens, t => Assert.False(t.IsCancellationRequested));
    }
}

using MeshFunctions.Discovery.Answers;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Discovery.Tests.Answers;

/// <summary>The shared deadline wheel of blocked queries, on a fake clock: no real time, no sleeps.</summary>
public sealed class DeadlineWheelTests
{
    [Fact]
    public void At_DeadlinesInOneSlot_ShareOneTask()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);

        var a = wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1010));
        var b = wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1200));
        var c = wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1300));

        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(2, wheel.Pending);
    }

    [Fact]
    public async Task At_ClockPassesDeadline_CompletesAndForgetsSlot()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);
        var early = wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var late = wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(1));
        await early.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(late.IsCompleted); // the fake clock is at 1 s of 5: nothing else can complete it
        time.Advance(TimeSpan.FromSeconds(4));
        await late.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, wheel.Pending);
    }

    [Fact]
    public void At_DeadlineAlreadyPast_CompletedAtOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);

        Assert.True(wheel.At(time.GetUtcNow() - TimeSpan.FromSeconds(1)).IsCompleted);
        Assert.True(wheel.At(time.GetUtcNow()).IsCompleted);
        Assert.Equal(0, wheel.Pending);
    }
}

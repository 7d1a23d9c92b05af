using MeshFunctions.Discovery.Answers;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Discovery.Tests.Answers;

/// <summary>The shared deadline wheel of blocked queries, on a fake clock: no real time, no sleeps.</summary>
public sealed class DeadlineWheelTests
{
    [Fact]
    public void At_DeadlinesInOneSlot_ShareOneSlot()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);

        wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1010), Waiter());
        wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1200), Waiter());
        wheel.At(time.GetUtcNow() + TimeSpan.FromMilliseconds(1300), Waiter());

        Assert.Equal(2, wheel.Pending);
    }

    [Fact]
    public async Task At_ClockPassesDeadline_WakesWithZeroAndForgetsSlot()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);
        var early = Waiter();
        var late = Waiter();
        wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(1), early);
        wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(5), late);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await early.Task.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.False(late.Task.IsCompleted); // the fake clock is at 1 s of 5: nothing else can complete it
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await late.Task.WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(0, wheel.Pending);
    }

    [Fact]
    public void At_LinkDisposed_WaiterNotWokenWhenSlotPasses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);
        var gone = Waiter();
        var stays = Waiter();
        var link = wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(1), gone);
        wheel.At(time.GetUtcNow() + TimeSpan.FromSeconds(1), stays);

        link!.Dispose();
        time.Advance(TimeSpan.FromSeconds(1)); // the fake clock runs the wheel's tick synchronously

        Assert.True(stays.Task.IsCompleted);
        Assert.False(gone.Task.IsCompleted);
    }

    [Fact]
    public void At_DeadlineAlreadyPast_WokenAtOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var wheel = new DeadlineWheel(time);
        var past = Waiter();
        var now = Waiter();

        Assert.Null(wheel.At(time.GetUtcNow() - TimeSpan.FromSeconds(1), past));
        Assert.Null(wheel.At(time.GetUtcNow(), now));

        Assert.True(past.Task.IsCompleted);
        Assert.True(now.Task.IsCompleted);
        Assert.Equal(0, wheel.Pending);
    }

    private static TaskCompletionSource<long> Waiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

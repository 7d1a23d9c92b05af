using MeshFunctions.Discovery.Cluster;

namespace MeshFunctions.Discovery.Tests.Answers;

/// <summary>The change signal blocked queries register with: fire wakes every registered waiter once, with the fire's timestamp.</summary>
public sealed class ChangeSignalTests
{
    [Fact]
    public async Task Fire_ManyWaiters_WakesEachWithTimestampAndEmpties()
    {
        var signal = new ChangeSignal();
        var waiters = Enumerable.Range(0, 1000).Select(_ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var links = waiters.Select(signal.Register).ToList();
        links[10].Dispose();
        links[999].Dispose();

        signal.Fire();

        Assert.Equal(0, signal.Waiting);
        Assert.False(waiters[10].Task.IsCompleted);
        Assert.False(waiters[999].Task.IsCompleted);
        var stamps = await Task.WhenAll(waiters.Where((_, i) => i is not 10 and not 999).Select(w => w.Task.WaitAsync(TimeSpan.FromMinutes(1))));
        Assert.All(stamps, s => Assert.True(s > 0));
        Assert.Single(stamps.Distinct());
        links[0].Dispose(); // after the fire: a no-op
        Assert.Equal(0, signal.Waiting);
    }

    [Fact]
    public void Register_AfterFire_WaitsForTheNextFire()
    {
        var signal = new ChangeSignal();
        signal.Fire();
        var waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);

        using var link = signal.Register(waiter);

        Assert.False(waiter.Task.IsCompleted); // nothing fired since it registered; Fire runs synchronously below
        signal.Fire();
        Assert.True(waiter.Task.IsCompleted);
    }
}

using MeshFunctions.Rls.Backends;

namespace MeshFunctions.Rls.Tests.Backends;

public sealed class RedisStallGateTests
{
    [Fact]
    public void OnTimeout_PendingCall_StalledUntilItIsAnswered()
    {
        var gate = new RedisStallGate();
        var call = new TaskCompletionSource<int>();

        gate.OnTimeout(call.Task);
        var whilePending = gate.IsStalled;
        call.SetResult(1);

        Assert.True(whilePending);
        Assert.False(gate.IsStalled);
    }

    [Fact]
    public void OnTimeout_CallFailsLater_GateOpensSoTheNextCallProbes()
    {
        var gate = new RedisStallGate();
        var call = new TaskCompletionSource<int>();

        gate.OnTimeout(call.Task);
        call.SetException(new TimeoutException("gave up"));

        Assert.False(gate.IsStalled);
    }

    [Fact]
    public void OnTimeout_OlderCallAnsweredFirst_StaysStalledUntilTheNewestTimedOutCallIsAnswered()
    {
        var gate = new RedisStallGate();
        var older = new TaskCompletionSource<int>();
        var newer = new TaskCompletionSource<int>();

        gate.OnTimeout(older.Task);
        gate.OnTimeout(newer.Task);
        older.SetResult(1);
        var afterOlder = gate.IsStalled;
        newer.SetResult(2);

        Assert.True(afterOlder);
        Assert.False(gate.IsStalled);
    }

    [Fact]
    public void OnTimeout_AlreadyAnswered_NotStalled()
    {
        var gate = new RedisStallGate();

        gate.OnTimeout(Task.FromResult(1));

        Assert.False(gate.IsStalled);
    }
}

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Fails calls fast while Redis is hung. StackExchange.Redis sends every command of the connection in
/// order and Redis answers in order, so once a call has waited <see cref="RlsOptions.RedisTimeout"/> without
/// a reply, any call sent after it would wait at least as long: until that reply comes, calls are answered
/// with the failure mode at once instead of each waiting for the timeout. The timed-out call is the
/// sentinel: its late reply (Redis resumed) opens the gate again at once; if it fails instead
/// (StackExchange.Redis gave up on it, or the connection dropped) the next call goes through and becomes
/// the sentinel if it times out too. A process pause that only delays one reply costs one reply's delay.
/// </summary>
internal sealed class RedisStallGate
{
    private Task? _sentinel;

    /// <summary>True while a call that timed out has not been answered (nor failed) yet.</summary>
    public bool IsStalled => Volatile.Read(ref _sentinel) is { IsCompleted: false };

    /// <summary>Records <paramref name="call"/>, the Redis call behind a timeout, as the reply to wait for.</summary>
    public void OnTimeout(Task call)
    {
        if (call.IsCompleted)
        {
            return;
        }

        Volatile.Write(ref _sentinel, call);
        _ = call.ContinueWith(
            static (done, state) =>
            {
                // Nobody awaits a timed-out call any more: observe its late failure so it is not reported as unobserved.
                _ = done.Exception;
                Interlocked.CompareExchange(ref ((RedisStallGate)state!)._sentinel, null, done);
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}

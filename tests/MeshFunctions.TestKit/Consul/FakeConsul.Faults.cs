using MeshFunctions.TestKit.Consul.Internal;

namespace MeshFunctions.TestKit.Consul;

/// <summary>On-demand faults besides <see cref="StopAsync"/>: error answers and hanging requests.</summary>
public sealed partial class FakeConsul
{
    private volatile ConsulAnswer? _failure;
    private TaskCompletionSource? _hang;

    internal ConsulAnswer? InjectedFailure => _failure;

    /// <summary>Answers every request with <paramref name="status"/> and a text body, e.g. 500 "No cluster leader", until <see cref="Heal"/>.</summary>
    public void FailWith(int status = 500, string message = "rpc error making call: No cluster leader") =>
        _failure = ConsulAnswer.Error(status, message);

    /// <summary>Accepts connections but answers nothing until <see cref="Heal"/> (or the client gives up).</summary>
    public void Hang() =>
        Interlocked.CompareExchange(ref _hang, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Ends <see cref="FailWith"/> and <see cref="Hang"/>; hung requests then proceed normally.</summary>
    public void Heal()
    {
        _failure = null;
        Interlocked.Exchange(ref _hang, null)?.TrySetResult();
    }

    internal Task WaitWhileHungAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _hang) is { } hang ? hang.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
}

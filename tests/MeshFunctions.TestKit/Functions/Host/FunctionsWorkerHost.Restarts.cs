using System.Collections.Concurrent;
using MeshFunctions.TestKit.Functions.Host.Internal;

namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>
/// A worker process that exits on its own is restarted, as the host restarts its language worker: a new process with a
/// new worker id dials the same gRPC endpoint and goes through the whole handshake; queue listeners hold new deliveries
/// until it has loaded its functions. Invocations the dead worker held fail (their messages come back after
/// <c>visibilityTimeout</c>). After <see cref="FunctionsWorkerHostOptions.MaxWorkerRestarts"/> restarts the stand-in
/// gives up, as the host shuts down.
/// </summary>
public sealed partial class FunctionsWorkerHost
{
    private readonly ConcurrentQueue<WorkerLog> _retiredLogs = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _supervisor = Task.CompletedTask;
    private volatile bool _gaveUp;
    private int _restarts;

    /// <summary>How often the worker process was restarted after it exited on its own.</summary>
    public int WorkerRestarts => Volatile.Read(ref _restarts);

    private WorkerChannel Channel => _slot.Current;

    /// <summary>Kills the worker process (SIGKILL) as a crash would; the stand-in then restarts it.</summary>
    public Task KillWorkerAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Waits until a worker has loaded its functions; throws once the stand-in has given up on restarting.</summary>
    private Task WorkerReadyAsync(CancellationToken cancellationToken) => Volatile.Read(ref _ready).Task.WaitAsync(cancellationToken);

    private WorkerFunction CurrentFunction(string name) => _functions.First(f => f.Name == name);

    private async Task SuperviseAsync(string appDirectory)
    {
        while (true)
        {
            try
            {
                await _process!.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // stopping: StopAsync ends the worker
            }

            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _ready, ready);
            if (!await RestartAsync(appDirectory, ready).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Starts new worker processes until one completes the handshake (true), the restarts run out or the host stops (false).</summary>
    private async Task<bool> RestartAsync(string appDirectory, TaskCompletionSource ready)
    {
        while (true)
        {
            if (_restarts >= _options.MaxWorkerRestarts)
            {
                _gaveUp = true;
                ready.TrySetException(Failed($"the worker exited and was restarted {_restarts} time(s) already (MaxWorkerRestarts); giving up"));
                return false;
            }

            Interlocked.Increment(ref _restarts);
            var dead = Channel;
            try
            {
                await dead.Ended.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The dead worker's connection outlived it (should not happen); its logs so far are kept.
            }

            foreach (var log in dead.Logs)
            {
                _retiredLogs.Enqueue(log);
            }

            var deadProcess = _process;
            _slot.Current = new WorkerChannel();
            WorkerId = Guid.NewGuid().ToString();
            try
            {
                await StartWorkerAsync(appDirectory, _stopping.Token).ConfigureAwait(false);
                deadProcess?.Dispose();
                ready.TrySetResult();
                return true;
            }
            catch (Exception ex) when (ex is FunctionsHostException or OperationCanceledException)
            {
                if (_process is { HasExited: false } started)
                {
                    await started.KillAsync().ConfigureAwait(false);
                }

                if (_stopping.IsCancellationRequested)
                {
                    ready.TrySetCanceled();
                    return false;
                }
            }
        }
    }
}

using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Processes;

/// <summary>A private Azurite that keeps its queues on disk, so a restart loses nothing (an outage, not a data loss).</summary>
public sealed partial class AzuriteServer
{
    private const int Terminate = 15;

    // Set for a persistent instance: its workspace folder, kept across restarts.
    private string? _dataLocation;

    /// <summary>Starts a private Azurite queue service on a free port that persists queues and messages in a temporary folder.</summary>
    public static Task<AzuriteServer> StartPersistentAsync(CancellationToken cancellationToken = default) =>
        StartPrivateWithAsync(ExecutableLocator.Find("MF_AZURITE_QUEUE_BIN", "azurite-queue", ".tools/node_modules/.bin/azurite-queue"), cancellationToken,
            Directory.CreateTempSubdirectory("azurite-data-").FullName);

    /// <summary>
    /// Stops a persistent instance the way a service manager does (SIGTERM: Azurite closes its servers and saves its
    /// metadata), then starts it again on the same port over the same data. Clients see refused connections meanwhile.
    /// </summary>
    public async Task RestartKeepingDataAsync(CancellationToken cancellationToken = default)
    {
        EnsurePrivate();
        if (_dataLocation is null)
        {
            throw new InvalidOperationException("this Azurite keeps its data in memory; start it with StartPersistentAsync to restart it without losing data");
        }

        if (_process is { } process)
        {
            _process = null;
            process.Signal(Terminate);
            using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                patience.CancelAfter(TimeSpan.FromSeconds(60));
                while (!process.HasExited && !patience.IsCancellationRequested)
                {
                    await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                }
            }

            await process.KillAsync().ConfigureAwait(false);
            process.Dispose();
        }

        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }
}

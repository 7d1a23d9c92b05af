namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>How <see cref="FunctionsWorkerHost"/> starts and drives a built isolated-worker app.</summary>
public sealed class FunctionsWorkerHostOptions
{
    /// <summary>
    /// The app's build output: the worker assembly named by <c>worker.config.json</c> (<c>defaultWorkerPath</c>), its
    /// <c>.deps.json</c>/<c>.runtimeconfig.json</c>, and <c>host.json</c>.
    /// </summary>
    public required string AppDirectory { get; init; }

    /// <summary>
    /// App settings: passed to the worker process as environment variables (<c>:</c> becomes <c>__</c>), used by the
    /// stand-in for <c>%Name%</c> binding expressions and connection names, and — under the prefix
    /// <c>AzureFunctionsJobHost:</c> (or <c>AzureFunctionsJobHost__</c>) — overriding host.json values, as the host does.
    /// </summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Create missing trigger queues at start (default false: a missing trigger queue fails the start).</summary>
    public bool CreateQueues { get; init; }

    /// <summary>First pause after an empty poll of a queue (default 100 ms); each further empty poll doubles it up to host.json <c>maxPollingInterval</c>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Hang guard for the worker's start, handshake and function loads (default 2 minutes).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Hang guard for one invocation; past it the delivery counts as failed (default 5 minutes, the host's lease).</summary>
    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Sent on the command line as the gRPC message size limit (default <see cref="int.MaxValue"/>, as the host does).</summary>
    public int GrpcMaxMessageLength { get; init; } = int.MaxValue;

    /// <summary>
    /// How often a worker process that exits on its own is restarted (default 3, the host's language worker restart
    /// limit); past it the stand-in gives up as the host shuts down, and waiting for idle fails.
    /// </summary>
    public int MaxWorkerRestarts { get; init; } = 3;

    /// <summary>The <c>dotnet</c> executable (default: <c>DOTNET_HOST_PATH</c>, else <c>dotnet</c> on PATH).</summary>
    public string? DotnetPath { get; init; }
}

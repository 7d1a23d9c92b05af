using System.Globalization;
using Azure.Storage.Queues;
using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// Azurite's queue service for tests: either the shared instance eng/test.sh starts (<c>MF_AZURITE_QUEUE</c>,
/// default <c>http://127.0.0.1:10001/devstoreaccount1</c>), or a private <c>azurite-queue</c> on a free port
/// (binary from <c>MF_AZURITE_QUEUE_BIN</c>, <c>.tools/node_modules/.bin</c> or PATH) that can be killed and restarted.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    /// <summary>The well-known development account key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The development account name.</summary>
    public const string AccountName = "devstoreaccount1";

    private const string DefaultQueueEndpoint = "http://127.0.0.1:10001/devstoreaccount1";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static AzuriteServer? _shared;
    private readonly string? _binary;
    private ManagedProcess? _process;

    private AzuriteServer(Uri queueEndpoint, string? binary)
    {
        QueueEndpoint = queueEndpoint;
        _binary = binary;
    }

    /// <summary>Queue service endpoint, e.g. <c>http://127.0.0.1:10001/devstoreaccount1</c>.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>Whether this instance is a private process this object started (and may kill).</summary>
    public bool IsPrivate => _binary is not null;

    /// <summary>A connection string for <c>AzureWebJobsStorage</c> and <see cref="QueueServiceClient"/>.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};QueueEndpoint={QueueEndpoint.ToString().TrimEnd('/')};";

    /// <summary>
    /// Client options the Functions host would use: base64 messages, and a service version Azurite 3.x
    /// accepts (Azure.Storage.Queues 12.28 defaults to 2026-10-06, which Azurite 3.37 rejects).
    /// </summary>
    public static QueueClientOptions ClientOptions(QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = encoding };

    /// <summary>
    /// The Azurite every test in this process shares: the one at <c>MF_AZURITE_QUEUE</c> when it answers, else one
    /// private process started once. Throws <see cref="TestDependencyMissingException"/> when neither is possible.
    /// </summary>
    public static async Task<AzuriteServer> GetSharedAsync(CancellationToken cancellationToken = default)
    {
        await SharedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_shared is null || (_shared.IsPrivate && _shared._process is not { HasExited: false }))
            {
                var endpoint = new Uri(Environment.GetEnvironmentVariable("MF_AZURITE_QUEUE") is { Length: > 0 } configured ? configured : DefaultQueueEndpoint);
                _shared = await FreePort.IsListeningAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false)
                    ? new AzuriteServer(endpoint, null)
                    : await StartPrivateAsync(cancellationToken).ConfigureAwait(false);
                if (_shared.IsPrivate)
                {
                    var started = _shared;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => started._process?.Dispose();
                }
            }

            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Uses an Azurite someone else runs (it cannot be killed or restarted from here).</summary>
    public static AzuriteServer Connect(Uri queueEndpoint) => new(queueEndpoint, null);

    /// <summary>Starts a private Azurite queue service on a free port (in-memory, no telemetry, no API version check).</summary>
    public static Task<AzuriteServer> StartPrivateAsync(CancellationToken cancellationToken = default) =>
        StartPrivateWithAsync(ExecutableLocator.Find("MF_AZURITE_QUEUE_BIN", "azurite-queue", ".tools/node_modules/.bin/azurite-queue"), cancellationToken);

    internal static async Task<AzuriteServer> StartPrivateWithAsync(string? binary, CancellationToken cancellationToken, string? dataLocation = null)
    {
        if (binary is null)
        {
            throw new TestDependencyMissingException(
                $"Azurite is not reachable at {Environment.GetEnvironmentVariable("MF_AZURITE_QUEUE") ?? DefaultQueueEndpoint} (MF_AZURITE_QUEUE) " +
                "and no azurite-queue binary was found (MF_AZURITE_QUEUE_BIN, .tools/node_modules/.bin/azurite-queue, PATH). " +
                "Install it with `npm install --prefix .tools azurite@3` or run the tests through `bash eng/test.sh`.");
        }

        // The probed port may be taken by another process before Azurite binds it; then it exits at once
        // (EADDRINUSE) and we try a new port, as RedisServer does.
        for (var attempt = 1; ; attempt++)
        {
            var server = new AzuriteServer(new Uri($"http://127.0.0.1:{FreePort.Next()}/{AccountName}"), binary) { _dataLocation = dataLocation };
            try
            {
                await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A base64, version-pinned client for this Azurite.</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(ConnectionString, ClientOptions(encoding));

    /// <summary>Kills a private instance (SIGKILL): queues and messages are lost, clients see refusals.</summary>
    public async Task KillAsync()
    {
        EnsurePrivate();
        if (_process is { } process)
        {
            _process = null;
            await process.KillAsync().ConfigureAwait(false);
            process.Dispose();
        }
    }

    /// <summary>Starts a private instance again on the same port (empty, as after a crash of an in-memory Azurite).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync().ConfigureAwait(false);
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (IsPrivate && !ReferenceEquals(this, _shared))
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    private void EnsurePrivate()
    {
        if (!IsPrivate)
        {
            throw new InvalidOperationException("this Azurite is shared (MF_AZURITE_QUEUE); start a private one with StartPrivateAsync to kill or restart it");
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var port = QueueEndpoint.Port.ToString(CultureInfo.InvariantCulture);
        var location = _dataLocation ?? Directory.CreateTempSubdirectory("azurite-").FullName;
        _process = ManagedProcess.Start(_binary!,
            ["--queueHost", "127.0.0.1", "--queuePort", port, _dataLocation is null ? "--inMemoryPersistence" : "--silent", "--disableTelemetry", "--skipApiVersionCheck"],
            "azurite-queue", location);
        await FreePort.WaitListeningAsync(_process, QueueEndpoint.Port, TimeSpan.FromSeconds(90), cancellationToken, $"successfully listens on http://127.0.0.1:{port}").ConfigureAwait(false);
    }
}

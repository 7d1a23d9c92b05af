using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using MeshFunctions.Core.Admission;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Sidecars;

/// <summary>
/// Creates a namespace's <c>default</c> Sidecar (core's <see cref="SidecarDefaults"/>) after the namespace exists: the
/// admission of a namespace comes before it is stored, so the writer reads the namespace until it appears (or gives up
/// after <see cref="WebhookOptions.DefaultSidecarAttempts"/>), then creates the Sidecar. Idempotent: 409 AlreadyExists is
/// success, an existing Sidecar is never changed; a terminating namespace is skipped.
/// </summary>
internal sealed partial class DefaultSidecarWriter : BackgroundService
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly IKubernetes _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DefaultSidecarWriter> _logger;
    private long _created;

    public DefaultSidecarWriter(IKubernetes client, IOptions<WebhookOptions> options, TimeProvider time, ILogger<DefaultSidecarWriter> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Sidecars this writer created.</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Namespaces queued or being worked on.</summary>
    public int Pending => _inFlight.Count;

    public void Enqueue(string ns)
    {
        if (ns != _options.OwnNamespace && _inFlight.TryAdd(ns, 0))
        {
            _requests.Writer.TryWrite(ns);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var ns in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            _ = Task.Run(() => EnsureAsync(ns, stoppingToken), stoppingToken);
        }
    }

    private async Task EnsureAsync(string ns, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; attempt <= _options.DefaultSidecarAttempts; attempt++)
            {
                if (await TryOnceAsync(ns, ct).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(_options.DefaultSidecarRetryDelay, _time, ct).ConfigureAwait(false);
            }

            Log.GaveUp(_logger, ns, _options.DefaultSidecarAttempts);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _inFlight.TryRemove(ns, out _);
        }
    }

    private async Task<bool> TryOnceAsync(string ns, CancellationToken ct)
    {
        try
        {
            var namespaceObject = await _client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct).ConfigureAwait(false);
            if (namespaceObject.Metadata.DeletionTimestamp is not null)
            {
                return true;
            }

            await _client.CustomObjects.CreateNamespacedCustomObjectAsync(SidecarDefaults.DefaultSidecar(ns), "networking.istio.io", "v1", ns, "sidecars", cancellationToken: ct).ConfigureAwait(false);
            Interlocked.Increment(ref _created);
            Log.Created(_logger, ns);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            Log.Failed(_logger, ns, ex.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Created the default Sidecar of namespace {Namespace}")]
        public static partial void Created(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Creating the default Sidecar of namespace {Namespace} failed, retrying: {Reason}")]
        public static partial void Failed(ILogger logger, string @namespace, string reason);

        [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Namespace {Namespace} did not appear after {Attempts} attempts; no default Sidecar written")]
        public static partial void GaveUp(ILogger logger, string @namespace, int attempts);
    }
}

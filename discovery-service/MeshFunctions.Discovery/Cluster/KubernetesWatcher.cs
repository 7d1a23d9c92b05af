using k8s;
using k8s.Autorest;
using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// Keeps <see cref="ClusterState"/> fed: for each resource, list then watch from the list's resourceVersion;
/// a watch that ends cleanly is resumed, a 410 Gone or a failed watch relists (a successful list is also what
/// marks the resource connected again); failures back off exponentially with jitter.
/// </summary>
internal sealed partial class KubernetesWatcher : BackgroundService
{
    private readonly IKubernetes _client;
    private readonly ClusterState _state;
    private readonly DiscoveryOptions _options;
    private readonly DiscoveryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<KubernetesWatcher> _logger;

    public KubernetesWatcher(IKubernetes client, ClusterState state, IOptions<DiscoveryOptions> options, DiscoveryMetrics metrics, TimeProvider time, ILogger<KubernetesWatcher> logger)
    {
        _client = client;
        _state = state;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RunAsync(ResourceKind.Pod, ListPodsAsync, WatchPods, stoppingToken),
        RunAsync(ResourceKind.Service, ListServicesAsync, WatchServices, stoppingToken),
        RunAsync(ResourceKind.EndpointSlice, ListSlicesAsync, WatchSlices, stoppingToken),
        RunAsync(ResourceKind.Router, ListRoutersAsync, WatchRouters, stoppingToken),
        RunAsync(ResourceKind.Switch, ListSwitchAsync, WatchSwitch, stoppingToken),
        RunAsync(ResourceKind.State, ListStateAsync, WatchState, stoppingToken));

    private async Task RunAsync(
        ResourceKind kind,
        Func<CancellationToken, Task<(List<KubeItem> Items, string? Version)>> list,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, KubeItem Item)>> watch,
        CancellationToken cancellationToken)
    {
        string? version = null;
        var failures = 0;
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    var (items, listVersion) = await list(cancellationToken).ConfigureAwait(false);
                    _state.Replace(kind, [.. items.Where(i => i.Info is not null).Select(i => (i.Namespace, i.Name, i.Info!))], DiscoveryIndex.ParseResourceVersion(listVersion));
                    _state.MarkConnected(kind, true);
                    _metrics.KubernetesRelists.WithLabels(kind.ToString()).Inc();
                    version = listVersion ?? "0";
                    failures = 0;
                }

                Exception? error = null;
                await foreach (var (type, item) in watch(version, e => error ??= e, cancellationToken).ConfigureAwait(false))
                {
                    version = item.Version ?? version;
                    Apply(kind, type, item);
                }

                if (error is not null)
                {
                    throw error;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var gone = ex is KubernetesException { Status.Code: 410 } or HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone };
                if (gone)
                {
                    Log.WatchExpired(_logger, kind);
                }
                else
                {
                    failures++;
                    _state.MarkConnected(kind, false);
                    Log.WatchFailed(_logger, kind, ex.Message);
                }

                version = null;
                var ceiling = gone ? 0 : Math.Min(10_000, 100 * Math.Pow(2, Math.Min(failures, 8)));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private void Apply(ResourceKind kind, WatchEventType type, KubeItem item)
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified when item.Info is not null:
                _state.Upsert(kind, item.Namespace, item.Name, item.Info);
                break;
            case WatchEventType.Deleted:
            case WatchEventType.Modified when item.Info is null:
                _state.Delete(kind, item.Namespace, item.Name, DiscoveryIndex.ParseResourceVersion(item.Version));
                break;
        }
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// Stores the tombstones this replica learns in the state ConfigMap (<see cref="DiscoveryOptions.StateConfigMap"/>):
/// read, merge by maximum, write back with the read resourceVersion as precondition (a 409 from another replica's
/// write re-reads and merges again). Failures back off exponentially with jitter and keep the tombstones pending.
/// </summary>
internal sealed partial class FloorWriter : BackgroundService
{
    private readonly IKubernetes _client;
    private readonly ClusterState _state;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FloorWriter> _logger;

    public FloorWriter(IKubernetes client, ClusterState state, IOptions<DiscoveryOptions> options, TimeProvider time, ILogger<FloorWriter> logger)
    {
        _client = client;
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _state.FloorsToStore.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await StorePendingAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StorePendingAsync(CancellationToken cancellationToken)
    {
        for (var failures = 0; ;)
        {
            var pending = _state.PendingFloors();
            if (pending.Count == 0)
            {
                return;
            }

            try
            {
                await StoreAsync(pending, cancellationToken).ConfigureAwait(false);
                _state.MarkStored(pending);
                Log.Stored(_logger, pending.Count, _options.StateConfigMap);
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures++;
                Log.StoreFailed(_logger, _options.StateConfigMap, ex.Message);
                var ceiling = Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 9)));
                await Task.Delay(TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StoreAsync(IReadOnlyDictionary<string, ulong> pending, CancellationToken cancellationToken)
    {
        var ns = _options.SwitchNamespace;
        var name = _options.StateConfigMap;
        for (var attempt = 1; ; attempt++)
        {
            V1ConfigMap? map = null;
            try
            {
                map = await _client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }

            var data = FloorMap.Merge(FloorMap.Read(map?.Data), pending, _state.IsRedundant, _options.MaxStoredTombstones);
            try
            {
                if (map is null)
                {
                    var created = new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "meshfunctions-discovery" } },
                        Data = data,
                    };
                    await _client.CoreV1.CreateNamespacedConfigMapAsync(created, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Replace carries the read resourceVersion: a write in between by another replica gives 409.
                    map.Data = data;
                    await _client.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 10)
            {
                Log.Conflict(_logger, name, attempt);
            }
        }
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Functions.Kubernetes;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// One instance's shared cache of every object rendered from a Router (one <see cref="KubeInformer"/> per rendered kind,
/// selecting on the <see cref="RouterLabels.RouterName"/> label), indexed by the Router it was rendered from. It answers
/// "which objects does this Router have?" without a cluster-wide list per reconcile; the objects themselves are then read
/// fresh by name (<see cref="MeshStateReader.LiveAsync"/>). Started on first use; stopped when the container is disposed.
/// </summary>
internal sealed partial class RenderedObjectCache : IAsyncDisposable
{
    private readonly KubeObjects _kube;
    private readonly TimeProvider _time;
    private readonly ILogger<RenderedObjectCache> _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private List<KubeInformer>? _informers;
    private Task? _running;

    public RenderedObjectCache(KubeObjects kube, TimeProvider time, ILogger<RenderedObjectCache> logger)
    {
        _kube = kube;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long a reconcile waits for the first list before it reads the cluster directly instead.</summary>
    public static TimeSpan SyncPatience { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The informers, one per kind of <see cref="KubeKind.Rendered"/> (started by the first <see cref="KeysOfAsync"/>).</summary>
    internal IReadOnlyList<KubeInformer> Informers => Start();

    /// <summary>
    /// The keys (kind, namespace, name) of the objects labelled as rendered from Router <paramref name="ns"/>/<paramref name="name"/>,
    /// as the cache last saw them; null when the cache has not finished its first list within <see cref="SyncPatience"/>.
    /// </summary>
    public async Task<List<(KubeKind Kind, string Namespace, string Name)>?> KeysOfAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var informers = Start();
        var synced = Task.WhenAll(informers.Select(i => i.Synced));
        if (!synced.IsCompleted)
        {
            try
            {
                await synced.WaitAsync(SyncPatience, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.NotSynced(_logger, ns, name);
                return null;
            }
        }

        var key = IndexKey(ns, name);
        var keys = new List<(KubeKind, string, string)>();
        for (var i = 0; i < informers.Count; i++)
        {
            keys.AddRange(informers[i].ByIndex(key).Select(o => (KubeKind.Rendered[i], KubeObjects.Namespace(o), KubeObjects.Name(o))));
        }

        return keys;
    }

    /// <summary>True when <paramref name="obj"/> carries the labels of Router <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public static bool IsRenderedFrom(JsonObject obj, string ns, string name) => IndexKeyOf(obj) == IndexKey(ns, name);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private List<KubeInformer> Start()
    {
        lock (_gate)
        {
            if (_informers is null)
            {
                _informers = [.. KubeKind.Rendered.Select(kind => new KubeInformer(_kube, kind, RouterLabels.RouterName, IndexKeyOf, _time, _logger))];
                _running = Task.WhenAll(_informers.Select(i => Task.Run(() => i.RunAsync(_stop.Token))));
            }

            return _informers;
        }
    }

    private static string IndexKey(string ns, string name) => ns + "/" + name;

    private static string? IndexKeyOf(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject labels && (string?)labels[RouterLabels.RouterName] is { } name && (string?)labels[RouterLabels.RouterNamespace] is { } ns
            ? IndexKey(ns, name)
            : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 135, Level = LogLevel.Warning, Message = "the rendered-object cache has not synced yet; Router {Namespace}/{Name} lists its objects directly")]
        public static partial void NotSynced(ILogger logger, string @namespace, string name);
    }
}

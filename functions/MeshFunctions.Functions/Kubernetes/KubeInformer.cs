using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>
/// A watch-fed copy of one kind (every namespace, optionally by label selector) with one secondary index, kept the way
/// client-go's reflector keeps its store: list, then watch from the list's resourceVersion with bookmarks (which only move
/// the resourceVersion on); a stream the server ends is resumed from the last resourceVersion seen; a 410 Gone (history
/// compacted) relists; other failures back off and resume. Readers see the state as of the last event applied; it may
/// lag the API server, so callers must not base a destructive decision on it alone.
/// </summary>
internal sealed partial class KubeInformer
{
    private readonly KubeObjects _kube;
    private readonly KubeKind _kind;
    private readonly string? _labelSelector;
    private readonly Func<JsonObject, string?> _indexKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _index = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lists;

    public KubeInformer(KubeObjects kube, KubeKind kind, string? labelSelector, Func<JsonObject, string?> indexKey, TimeProvider time, ILogger logger)
    {
        _kube = kube;
        _kind = kind;
        _labelSelector = labelSelector;
        _indexKey = indexKey;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes after the first list.</summary>
    public Task Synced => _synced.Task;

    /// <summary>How many full lists were made (1 after start; one more after each 410 Gone).</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>How long a watch asks the server to keep its stream open (client-go picks 5 to 10 minutes).</summary>
    public int WatchTimeoutSeconds { get; init; } = 300 + Random.Shared.Next(300);

    /// <summary>The objects whose index key is <paramref name="key"/>, as last seen.</summary>
    public List<JsonObject> ByIndex(string key)
    {
        lock (_gate)
        {
            return _index.TryGetValue(key, out var keys) ? [.. keys.Select(k => _objects[k])] : [];
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        string? rv = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                rv ??= await ListAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var (type, obj) in _kube.WatchAsync(_kind, _labelSelector, rv, WatchTimeoutSeconds, cancellationToken).ConfigureAwait(false))
                {
                    if ((string?)obj["metadata"]?["resourceVersion"] is { Length: > 0 } next)
                    {
                        rv = next;
                    }

                    Apply(type, obj);
                }

                delay = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                Log.Relist(_logger, _kind.Plural, rv ?? "none");
                rv = null;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or KubernetesException or IOException or System.Text.Json.JsonException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                Log.WatchFailed(_logger, _kind.Plural, ex.Message);
                if (!await BackOffAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>False when stopped while waiting.</summary>
    private async Task<bool> BackOffAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var (items, rv) = await _kube.ListWithVersionAsync(_kind, _labelSelector, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _objects.Clear();
            _index.Clear();
            foreach (var item in items)
            {
                Upsert(item);
            }
        }

        Interlocked.Increment(ref _lists);
        _synced.TrySetResult();
        Log.Listed(_logger, _kind.Plural, items.Count, rv);
        return rv;
    }

    private void Apply(WatchEventType type, JsonObject obj)
    {
        lock (_gate)
        {
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    Remove(Key(obj));
                    Upsert(obj);
                    break;
                case WatchEventType.Deleted:
                    Remove(Key(obj));
                    break;
            }
        }
    }

    private void Upsert(JsonObject obj)
    {
        var key = Key(obj);
        _objects[key] = obj;
        if (_indexKey(obj) is { } indexKey)
        {
            if (!_index.TryGetValue(indexKey, out var keys))
            {
                _index[indexKey] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    private void Remove(string key)
    {
        if (_objects.Remove(key, out var old) && _indexKey(old) is { } indexKey && _index.TryGetValue(indexKey, out var keys))
        {
            keys.Remove(key);
            if (keys.Count == 0)
            {
                _index.Remove(indexKey);
            }
        }
    }

    private static string Key(JsonObject obj) => KubeObjects.Namespace(obj) + "/" + KubeObjects.Name(obj);

    private static bool IsGone(Exception ex) => ex switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => (int?)h.Response?.StatusCode == 410,
        _ => ex.InnerException is { } inner && IsGone(inner),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 130, Level = LogLevel.Debug, Message = "cache of {Resource}: listed {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion);

        [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "cache of {Resource}: 410 Gone watching from resourceVersion {ResourceVersion}; relisting")]
        public static partial void Relist(ILogger logger, string resource, string resourceVersion);

        [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "cache of {Resource}: list/watch failed, resuming after a back-off: {Reason}")]
        public static partial void WatchFailed(ILogger logger, string resource, string reason);
    }
}

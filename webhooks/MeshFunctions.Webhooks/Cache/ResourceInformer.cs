using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace MeshFunctions.Webhooks.Cache;

/// <summary>
/// A watch-fed copy of one resource type, as client-go's reflector keeps it: list, then watch from the list's
/// resourceVersion with bookmarks (which only move the resourceVersion on); a watch the server ends is resumed from the
/// last resourceVersion seen; a 410 Gone (history compacted) or any other failure relists after a short back-off.
/// Readers get an immutable snapshot rebuilt only after a change.
/// </summary>
internal sealed partial class ResourceInformer
{
    private readonly ResourceSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, JsonObject> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Snapshot? _snapshot;
    private long _version;
    private long _lastEventTicks;

    public ResourceInformer(ResourceSource source, TimeProvider time, ILogger logger)
    {
        _source = source;
        _time = time;
        _logger = logger;
    }

    public string Name => _source.Name;

    public bool IsSynced => _synced.Task.IsCompleted;

    public Task Synced => _synced.Task;

    /// <summary>How many full lists were made (1 after start; more after 410s or failures).</summary>
    public int Lists { get; private set; }

    /// <summary>When the cache last heard from the API server (list, event or bookmark).</summary>
    public DateTimeOffset LastHeard => new(Interlocked.Read(ref _lastEventTicks), TimeSpan.Zero);

    /// <summary>Every object, as of the last change.</summary>
    public Snapshot Current => _snapshot is { } s && s.Version == Interlocked.Read(ref _version) ? s : Rebuild();

    public async Task RunAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var rv = await ListAsync(ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(200);
                while (!ct.IsCancellationRequested)
                {
                    rv = await WatchAsync(rv, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                Log.Relist(_logger, Name, "410 Gone: the watch history was compacted");
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or KubernetesException or IOException or System.Text.Json.JsonException)
            {
                Log.WatchFailed(_logger, Name, ex.Message);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken ct)
    {
        var (items, rv) = await _source.List(ct).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = Key(item);
            seen.Add(key);
            _items[key] = item;
        }

        Changed();

        foreach (var stale in _items.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _items.TryRemove(stale, out _);
        }

        Lists++;
        Touch();
        _synced.TrySetResult();
        Log.Listed(_logger, Name, items.Count, rv);
        return rv;
    }

    private async Task<string> WatchAsync(string rv, CancellationToken ct)
    {
        await foreach (var (type, obj) in _source.Watch(rv, ct).ConfigureAwait(false))
        {
            Touch();
            if ((string?)obj["metadata"]?["resourceVersion"] is { Length: > 0 } next)
            {
                rv = next;
            }

            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    _items[Key(obj)] = obj;
                    Changed();
                    break;
                case WatchEventType.Deleted:
                    _items.TryRemove(Key(obj), out _);
                    Changed();
                    break;
            }
        }

        return rv;
    }

    /// <summary>Adds or replaces one object read directly from the API server (a cache miss), until the watch catches up.</summary>
    public void Upsert(JsonObject obj)
    {
        _items[Key(obj)] = obj;
        Changed();
    }

    private void Changed() => Interlocked.Increment(ref _version);

    private Snapshot Rebuild()
    {
        var version = Interlocked.Read(ref _version);
        var all = _items.Values.ToList();
        var byNamespace = all.GroupBy(o => (string?)o["metadata"]?["namespace"] ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JsonObject>)g.ToList(), StringComparer.Ordinal);
        var snapshot = new Snapshot(version, all, byNamespace, _items);
        _snapshot = snapshot;
        return snapshot;
    }

    private void Touch() => Interlocked.Exchange(ref _lastEventTicks, _time.GetUtcNow().UtcTicks);

    private static string Key(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"] ?? string.Empty) + "/" + ((string?)obj["metadata"]?["name"] ?? string.Empty);

    private static bool IsGone(Exception ex) => ex switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => (int)h.Response.StatusCode == 410,
        _ => ex.InnerException is { } inner && IsGone(inner),
    };

    /// <summary>An immutable view: every object, and the objects per namespace.</summary>
    internal sealed class Snapshot(long version, IReadOnlyList<JsonObject> all, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> byNamespace, ConcurrentDictionary<string, JsonObject> items)
    {
        private readonly ConcurrentDictionary<Type, Lazy<object>> _derived = new();

        public long Version { get; } = version;

        /// <summary>
        /// A value computed from this snapshot once (per type) and shared by every reader until the cache changes, e.g.
        /// the DestinationRule index; <paramref name="build"/> must return an object readers never modify.
        /// </summary>
        public T Derived<T>(Func<IReadOnlyList<JsonObject>, T> build)
            where T : class =>
            // The common call finds the value built already: no closure for the factory.
            (T)(_derived.TryGetValue(typeof(T), out var built) ? built
                : _derived.GetOrAdd(typeof(T), _ => new Lazy<object>(() => build(All), LazyThreadSafetyMode.ExecutionAndPublication))).Value;

        public IReadOnlyList<JsonObject> All { get; } = all;

        public IReadOnlyList<JsonObject> InNamespace(string ns) => byNamespace.TryGetValue(ns, out var list) ? list : [];

        public JsonObject? Get(string ns, string name) => items.TryGetValue(ns + "/" + name, out var obj) ? obj : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Cache {Resource}: listed {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Cache {Resource}: relisting ({Reason})")]
        public static partial void Relist(ILogger logger, string resource, string reason);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Cache {Resource}: list/watch failed, retrying: {Reason}")]
        public static partial void WatchFailed(ILogger logger, string resource, string reason);
    }
}

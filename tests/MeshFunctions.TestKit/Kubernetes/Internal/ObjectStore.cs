using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// The fake's etcd: objects per resource type, one global resource version counter, a bounded event log
/// for watches and the write log. Every operation runs under one lock, so commits are totally ordered.
/// </summary>
internal sealed partial class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> _log = new();
    private readonly List<KubeWrite> _writes = [];
    private readonly List<WatchSubscription> _watches = [];
    private readonly FakeKubernetesApiOptions _options;
    private long _resourceVersion;
    private long _compactedRevision;

    public ObjectStore(FakeKubernetesApiOptions options) => _options = options;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public IReadOnlyList<KubeWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return _writes.ToArray();
            }
        }
    }

    public void ClearWrites()
    {
        lock (_gate)
        {
            _writes.Clear();
        }
    }

    public JsonObject Get(KubeResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name)?.DeepClone().AsObject() ?? throw KubeStatus.NotFound(type, name);
        }
    }

    public JsonObject? TryGet(KubeResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name)?.DeepClone().AsObject();
        }
    }

    /// <summary>A page of matching objects in key order, the list resourceVersion and the next continue token.</summary>
    public (List<JsonObject> Items, long ResourceVersion, string? Continue, long Remaining) List(
        KubeResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        lock (_gate)
        {
            var after = continueToken is null ? null : DecodeContinue(continueToken);
            var prefix = ns + "/";
            var matching = Objects(type)
                .Where(p => ns is null || p.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0)
                .Where(p => labels.Matches(p.Value) && fields.Matches(p.Value))
                .ToList();
            var page = limit > 0 ? matching.Take(limit).ToList() : matching;
            CountList(Objects(type).Count, page.Count);
            var more = page.Count < matching.Count;
            var token = more ? EncodeContinue(page[^1].Key) : null;
            return (page.Select(p => p.Value.DeepClone().AsObject()).ToList(), _resourceVersion, token, matching.Count - page.Count);
        }
    }

    private SortedDictionary<string, JsonObject> Objects(KubeResourceType type)
    {
        if (!_objects.TryGetValue(type.Key, out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[type.Key] = objects;
        }

        return objects;
    }

    private JsonObject? Find(KubeResourceType type, string? ns, string name) =>
        Objects(type).TryGetValue(StoreKey(ns, name), out var obj) ? obj : null;

    private static string StoreKey(string? ns, string name) => (ns ?? string.Empty) + "/" + name;

    /// <summary>Records a write: new resourceVersion, store update, write log, event log, open watches.</summary>
    private JsonObject Commit(KubeWriteVerb verb, KubeResourceType type, string? ns, string name, JsonObject? before, JsonObject after, bool deleted)
    {
        var rv = ++_resourceVersion;
        ObjectRules.Metadata(after)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (deleted)
        {
            Objects(type).Remove(StoreKey(ns, name));
        }
        else
        {
            Objects(type)[StoreKey(ns, name)] = after;
        }

        _writes.Add(new KubeWrite(verb, type, ns, name, rv, after.DeepClone().AsObject()));
        var e = new WatchEvent(type, ns, before, after.DeepClone().AsObject(), deleted, rv);
        _log.Enqueue(e);
        while (_log.Count > Math.Max(1, _options.EventLogCapacity))
        {
            _compactedRevision = _log.Dequeue().ResourceVersion;
        }

        foreach (var watch in _watches)
        {
            watch.Offer(e);
        }

        return after.DeepClone().AsObject();
    }

    private string EncodeContinue(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            new JsonObject { ["rv"] = _resourceVersion, ["start"] = lastKey }.ToJsonString()));

    private string DecodeContinue(string token)
    {
        JsonObject? parsed;
        try
        {
            parsed = JsonNode.Parse(Convert.FromBase64String(token)) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            parsed = null;
        }

        if (parsed?["start"] is not JsonValue start || parsed["rv"] is not JsonValue rv)
        {
            throw KubeStatus.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        if (rv.GetValue<long>() < _compactedRevision)
        {
            throw KubeStatus.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
        }

        return start.GetValue<string>();
    }
}

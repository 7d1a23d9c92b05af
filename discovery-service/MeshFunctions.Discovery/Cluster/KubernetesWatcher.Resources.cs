using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using MeshFunctions.Core.Discovery;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>List and watch calls per resource, and how each object is reduced to a cache entry.</summary>
internal sealed partial class KubernetesWatcher
{
    private const string RouterVersion = "v1";
    private const string RouterPlural = "routers";
    private const string SwitchKey = "globalRollback";

    private async Task<(List<KubeItem>, string?)> ListPodsAsync(CancellationToken ct)
    {
        var list = await _client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        return ([.. list.Items.Select(Pod)], list.Metadata?.ResourceVersion);
    }

    private async IAsyncEnumerable<(WatchEventType, KubeItem)> WatchPods(string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, pod) in _client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct).ConfigureAwait(false))
        {
            yield return (type, Pod(pod));
        }
    }

    private async Task<(List<KubeItem>, string?)> ListServicesAsync(CancellationToken ct)
    {
        var list = await _client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        return ([.. list.Items.Select(Service)], list.Metadata?.ResourceVersion);
    }

    private async IAsyncEnumerable<(WatchEventType, KubeItem)> WatchServices(string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, service) in _client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct).ConfigureAwait(false))
        {
            yield return (type, Service(service));
        }
    }

    private async Task<(List<KubeItem>, string?)> ListSlicesAsync(CancellationToken ct)
    {
        var list = await _client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        return ([.. list.Items.Select(Slice)], list.Metadata?.ResourceVersion);
    }

    private async IAsyncEnumerable<(WatchEventType, KubeItem)> WatchSlices(string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, slice) in _client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct).ConfigureAwait(false))
        {
            yield return (type, Slice(slice));
        }
    }

    private async Task<(List<KubeItem>, string?)> ListRoutersAsync(CancellationToken ct)
    {
        var raw = await _client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Router.Group, RouterVersion, RouterPlural, cancellationToken: ct).ConfigureAwait(false);
        var list = raw is JsonElement element ? element : JsonSerializer.SerializeToElement(raw);
        var items = new List<KubeItem>();
        if (list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            items.AddRange(array.EnumerateArray().Select(RouterItem));
        }

        var version = list.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
        return (items, version);
    }

    private async IAsyncEnumerable<(WatchEventType, KubeItem)> WatchRouters(string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, raw) in _client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(Router.Group, RouterVersion, RouterPlural, allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct).ConfigureAwait(false))
        {
            yield return (type, RouterItem(raw is JsonElement element ? element : JsonSerializer.SerializeToElement(raw)));
        }
    }

    private Task<(List<KubeItem>, string?)> ListSwitchAsync(CancellationToken ct) => ListConfigMapAsync(_options.SwitchConfigMap, Switch, ct);

    private IAsyncEnumerable<(WatchEventType, KubeItem)> WatchSwitch(string version, Action<Exception> onError, CancellationToken ct) =>
        WatchConfigMap(_options.SwitchConfigMap, Switch, version, onError, ct);

    private Task<(List<KubeItem>, string?)> ListStateAsync(CancellationToken ct) => ListConfigMapAsync(_options.StateConfigMap, State, ct);

    private IAsyncEnumerable<(WatchEventType, KubeItem)> WatchState(string version, Action<Exception> onError, CancellationToken ct) =>
        WatchConfigMap(_options.StateConfigMap, State, version, onError, ct);

    /// <summary>One ConfigMap of Discovery's namespace, listed by name (a field selector, which RBAC resourceNames can authorize).</summary>
    private async Task<(List<KubeItem>, string?)> ListConfigMapAsync(string name, Func<V1ConfigMap, KubeItem> reduce, CancellationToken ct)
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync(_options.SwitchNamespace, fieldSelector: "metadata.name=" + name, cancellationToken: ct).ConfigureAwait(false);
        return ([.. list.Items.Select(reduce)], list.Metadata?.ResourceVersion);
    }

    private async IAsyncEnumerable<(WatchEventType, KubeItem)> WatchConfigMap(string name, Func<V1ConfigMap, KubeItem> reduce, string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, map) in _client.CoreV1.WatchListNamespacedConfigMapAsync(_options.SwitchNamespace, fieldSelector: "metadata.name=" + name, allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct).ConfigureAwait(false))
        {
            yield return (type, reduce(map));
        }
    }

    private static KubeItem Pod(V1Pod pod)
    {
        var meta = pod.Metadata;
        var labels = meta?.Labels is { } l ? new Dictionary<string, string>(l) : null;
        var annotations = meta?.Annotations is { } a ? new Dictionary<string, string>(a) : null;
        var ip = pod.Spec?.HostNetwork == true || pod.Status?.Phase is "Succeeded" or "Failed" ? null : pod.Status?.PodIP;
        var version = meta?.ResourceVersion;
        var caller = new CallerState(meta?.NamespaceProperty ?? "default", labels?.GetValueOrDefault("app") ?? string.Empty, DiscoveryRule.IsPodInMesh(labels, annotations), DiscoveryIndex.ParseResourceVersion(version));
        return new KubeItem(caller.Namespace, meta?.Name ?? string.Empty, version, ip is null ? null : new PodInfo(ip, caller));
    }

    private static KubeItem Service(V1Service service)
    {
        var meta = service.Metadata;
        var ports = service.Spec?.Ports?.Select(p => p.Port).ToList() ?? [];
        var info = new ServiceInfo(service.Spec?.ClusterIP, ports, DiscoveryIndex.ParseResourceVersion(meta?.ResourceVersion));
        return new KubeItem(meta?.NamespaceProperty ?? "default", meta?.Name ?? string.Empty, meta?.ResourceVersion, info);
    }

    private static KubeItem Slice(V1EndpointSlice slice)
    {
        var meta = slice.Metadata;
        var service = (meta?.Labels is { } sl && sl.TryGetValue("kubernetes.io/service-name", out var sn) ? sn : null);
        var ready = slice.Endpoints?.Where(e => e.Conditions?.Ready ?? true).Sum(e => e.Addresses?.Count ?? 0) ?? 0;
        var info = service is null ? null : new SliceInfo(service, ready, DiscoveryIndex.ParseResourceVersion(meta?.ResourceVersion));
        return new KubeItem(meta?.NamespaceProperty ?? "default", meta?.Name ?? string.Empty, meta?.ResourceVersion, info);
    }

    private static KubeItem Switch(V1ConfigMap map)
    {
        var meta = map.Metadata;
        var on = map.Data is { } data && data.TryGetValue(SwitchKey, out var text) && text is not null && string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return new KubeItem(meta?.NamespaceProperty ?? string.Empty, meta?.Name ?? string.Empty, meta?.ResourceVersion, new SwitchInfo(on, DiscoveryIndex.ParseResourceVersion(meta?.ResourceVersion)));
    }

    private static KubeItem State(V1ConfigMap map)
    {
        var meta = map.Metadata;
        return new KubeItem(meta?.NamespaceProperty ?? string.Empty, meta?.Name ?? string.Empty, meta?.ResourceVersion, new FloorsInfo(FloorMap.Read(map.Data)));
    }

    private static KubeItem RouterItem(JsonElement router)
    {
        string? ns = null, name = null, version = null;
        Dictionary<string, string>? labels = null;
        if (router.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            ns = Text(meta, "namespace");
            name = Text(meta, "name");
            version = Text(meta, "resourceVersion");
            if (meta.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
            {
                labels = l.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!);
            }
        }

        var port = router.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("port", out var p) && p.TryGetInt32(out var value) ? value : 0;
        return new KubeItem(ns ?? "default", name ?? string.Empty, version, new RouterInfo(port, DiscoveryRule.IsRolledBack(labels), DiscoveryIndex.ParseResourceVersion(version)));
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MeshFunctions.Webhooks.Cache;

/// <summary>List/watch sources over the real Kubernetes client: custom resources by group/version/plural, Services and Namespaces.</summary>
internal static class KubernetesSources
{
    public static ResourceSource Custom(IKubernetes client, string group, string version, string plural, int watchTimeoutSeconds) => new(
        plural,
        async ct =>
        {
            using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>(group, version, plural, cancellationToken: ct).ConfigureAwait(false);
            var body = response.Body;
            var items = (body["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            return (items, (string?)body["metadata"]?["resourceVersion"] ?? "0");
        },
        (rv, ct) => WatchCustom(client, group, version, plural, rv, watchTimeoutSeconds, ct));

    public static ResourceSource Services(IKubernetes client, int watchTimeoutSeconds) => new(
        "services",
        async ct =>
        {
            var list = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.Select(ToJson).ToList(), list.Metadata.ResourceVersion);
        },
        (rv, ct) => Typed<V1Service, V1ServiceList>(
            client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: watchTimeoutSeconds, watch: true, cancellationToken: ct), ct));

    public static ResourceSource Namespaces(IKubernetes client, int watchTimeoutSeconds) => new(
        "namespaces",
        async ct =>
        {
            var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.Select(ToJson).ToList(), list.Metadata.ResourceVersion);
        },
        (rv, ct) => Typed<V1Namespace, V1NamespaceList>(
            client.CoreV1.ListNamespaceWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: watchTimeoutSeconds, watch: true, cancellationToken: ct), ct));

    private static async IAsyncEnumerable<(WatchEventType, JsonObject)> WatchCustom(
        IKubernetes client, string group, string version, string plural, string rv, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct)
    {
        var response = client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>(
            group, version, plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: ct);
        Exception? failure = null;
#pragma warning disable CS0618 // list-then-watch is the client's supported way to watch custom objects with a typed body
        await foreach (var (type, item) in response.WatchAsync<JsonObject, JsonObject>(e => failure ??= e, ct).ConfigureAwait(false))
#pragma warning restore CS0618
        {
            yield return (type, item);
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, JsonObject)> Typed<T, TList>(
        Task<k8s.Autorest.HttpOperationResponse<TList>> response, [EnumeratorCancellation] CancellationToken ct)
    {
        Exception? failure = null;
#pragma warning disable CS0618
        await foreach (var (type, item) in response.WatchAsync<T, TList>(e => failure ??= e, ct).ConfigureAwait(false))
#pragma warning restore CS0618
        {
            yield return (type, ToJson(item));
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private static JsonObject ToJson<T>(T item) => JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
}

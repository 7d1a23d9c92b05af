using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>List-then-watch of one kind in every namespace, for <see cref="KubeInformer"/>.</summary>
internal sealed partial class KubeObjects
{
    /// <summary>Every object of <paramref name="kind"/> matching <paramref name="labelSelector"/>, with the list's resourceVersion.</summary>
    public Task<(List<JsonObject> Items, string ResourceVersion)> ListWithVersionAsync(KubeKind kind, string? labelSelector, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            JsonObject list = kind.Kind switch
            {
                "Service" => JsonNode.Parse(KubernetesJson.Serialize(await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false)))!.AsObject(),
                _ => await ListCustomAsync(kind, labelSelector, token).ConfigureAwait(false),
            };
            var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var item in items)
            {
                item["apiVersion"] ??= kind.ApiVersion;
                item["kind"] ??= kind.Kind;
            }

            return (items, (string?)list["metadata"]?["resourceVersion"] ?? "0");
        }, cancellationToken);

    /// <summary>
    /// Watches <paramref name="kind"/> from <paramref name="resourceVersion"/> with bookmarks until the server ends the stream
    /// (after <paramref name="timeoutSeconds"/>) or fails it; an ERROR event (e.g. 410 Gone) is thrown as <see cref="KubernetesException"/>
    /// once the stream has ended.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, JsonObject Object)> WatchAsync(
        KubeKind kind, string? labelSelector, string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
#pragma warning disable CS0618 // list-with-watch=true is the client's way to watch custom objects with an untyped body
        if (kind.Kind == "Service")
        {
            var response = client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken);
            await foreach (var (type, service) in response.WatchAsync<V1Service, V1ServiceList>(e => failure ??= e, cancellationToken).ConfigureAwait(false))
            {
                var obj = JsonNode.Parse(KubernetesJson.Serialize(service))!.AsObject();
                obj["apiVersion"] ??= kind.ApiVersion;
                obj["kind"] ??= kind.Kind;
                yield return (type, obj);
            }
        }
        else
        {
            var response = client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>(
                kind.Group, kind.Version, kind.Plural, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken);
            await foreach (var (type, obj) in response.WatchAsync<JsonObject, JsonObject>(e => failure ??= e, cancellationToken).ConfigureAwait(false))
            {
                yield return (type, obj);
            }
        }
#pragma warning restore CS0618

        if (failure is not null)
        {
            throw failure;
        }
    }

    private async Task<JsonObject> ListCustomAsync(KubeKind kind, string? labelSelector, CancellationToken cancellationToken)
    {
        using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>(kind.Group, kind.Version, kind.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }
}

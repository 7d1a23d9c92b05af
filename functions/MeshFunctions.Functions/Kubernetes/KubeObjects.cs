using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>
/// Reads and writes any object the reconcilers touch as JSON, through <c>KubernetesClient</c> (custom objects API for
/// CRDs, CoreV1 for Services and ConfigMaps) inside the <see cref="KubeResilience"/> pipeline. Writes are
/// JSON merge patches carrying the read resourceVersion, so a concurrent change is a 409 (<see cref="KubeConflictException"/>).
/// </summary>
internal sealed partial class KubeObjects(IKubernetes client, ResiliencePipeline pipeline)
{
    public Task<JsonObject?> GetAsync(KubeKind kind, string ns, string name, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            try
            {
                object result = kind switch
                {
                    { Kind: "Service" } => await client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: token).ConfigureAwait(false),
                    { Kind: "ConfigMap" } => await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: token).ConfigureAwait(false),
                    _ => await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, token).ConfigureAwait(false),
                };
                return (JsonObject?)ToJson(result, kind);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);

    /// <summary>Objects of <paramref name="kind"/> in every namespace (or one), optionally by label selector.</summary>
    public Task<List<JsonObject>> ListAsync(KubeKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            object result = (kind.Kind, ns) switch
            {
                ("Service", null) => await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false),
                ("Service", _) => await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false),
                (_, null) => await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(kind.Group, kind.Version, kind.Plural, labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false),
                _ => await client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false),
            };
            var list = result is JsonElement element ? JsonNode.Parse(element.GetRawText())!.AsObject() : JsonNode.Parse(KubernetesJson.Serialize(result))!.AsObject();
            var items = new List<JsonObject>();
            foreach (var item in list["items"]?.AsArray() ?? [])
            {
                if (item is JsonObject obj)
                {
                    // Built-in list items come without apiVersion/kind; the planner keys objects by kind.
                    obj["apiVersion"] ??= kind.ApiVersion;
                    obj["kind"] ??= kind.Kind;
                    items.Add(obj);
                }
            }

            return items;
        }, cancellationToken);

    public Task<JsonObject> CreateAsync(KubeKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var ns = Namespace(obj);
        return WriteAsync(async token =>
        {
            object result = kind switch
            {
                { Kind: "Service" } => await client.CoreV1.CreateNamespacedServiceAsync(FromJson<V1Service>(obj), ns, cancellationToken: token).ConfigureAwait(false),
                { Kind: "ConfigMap" } => await client.CoreV1.CreateNamespacedConfigMapAsync(FromJson<V1ConfigMap>(obj), ns, cancellationToken: token).ConfigureAwait(false),
                _ => await client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, kind.Group, kind.Version, ns, kind.Plural, cancellationToken: token).ConfigureAwait(false),
            };
            return ToJson(result, kind);
        }, $"create {kind.Kind} {ns}/{Name(obj)}", cancellationToken);
    }

    /// <summary>Applies an RFC 7386 merge patch (which should carry <c>metadata.resourceVersion</c>).</summary>
    public Task<JsonObject> PatchAsync(KubeKind kind, string ns, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return WriteAsync(async token =>
        {
            object result = kind switch
            {
                { Kind: "Service" } => await client.CoreV1.PatchNamespacedServiceAsync(body, name, ns, cancellationToken: token).ConfigureAwait(false),
                { Kind: "ConfigMap" } => await client.CoreV1.PatchNamespacedConfigMapAsync(body, name, ns, cancellationToken: token).ConfigureAwait(false),
                _ => await client.CustomObjects.PatchNamespacedCustomObjectAsync(body, kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: token).ConfigureAwait(false),
            };
            return ToJson(result, kind);
        }, $"patch {kind.Kind} {ns}/{name}", cancellationToken);
    }

    /// <summary>Replaces the status subresource; <paramref name="obj"/> carries the resourceVersion it was read at.</summary>
    public Task<JsonObject> ReplaceStatusAsync(KubeKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var ns = Namespace(obj);
        var name = Name(obj);
        return WriteAsync(
            async token => ToJson(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(obj, kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: token).ConfigureAwait(false), kind),
            $"update status of {kind.Kind} {ns}/{name}",
            cancellationToken);
    }

    /// <summary>Deletes; an object already gone is fine.</summary>
    public Task DeleteAsync(KubeKind kind, string ns, string name, CancellationToken cancellationToken) =>
        WriteAsync<object?>(async token =>
        {
            try
            {
                switch (kind.Kind)
                {
                    case "Service":
                        await client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: token).ConfigureAwait(false);
                        break;
                    case "ConfigMap":
                        await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: token).ConfigureAwait(false);
                        break;
                    default:
                        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: token).ConfigureAwait(false);
                        break;
                }
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted by someone else (or an earlier attempt): the goal is reached.
            }

            return null;
        }, $"delete {kind.Kind} {ns}/{name}", cancellationToken);

    public static string Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? "default";

    public static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? string.Empty;

    private async Task<T> WriteAsync<T>(Func<CancellationToken, Task<T>> write, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            throw new KubeConflictException($"{what}: conflict ({ex.Response.Content})", ex);
        }
    }

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private static JsonObject ToJson(object result, KubeKind kind)
    {
        var node = result is JsonElement element
            ? JsonNode.Parse(element.GetRawText())!.AsObject()
            : JsonNode.Parse(KubernetesJson.Serialize(result))!.AsObject();
        node["apiVersion"] ??= kind.ApiVersion;
        node["kind"] ??= kind.Kind;
        return node;
    }

    private static T FromJson<T>(JsonObject obj) => KubernetesJson.Deserialize<T>(obj.ToJsonString());
}

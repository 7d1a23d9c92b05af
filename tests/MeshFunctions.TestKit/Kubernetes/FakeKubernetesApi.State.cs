using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Kubernetes.Internal;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>Direct access to the store for arranging and asserting, bypassing HTTP and faults.</summary>
public sealed partial class FakeKubernetesApi
{
    /// <summary>
    /// Stores <paramref name="obj"/> as a create would (uid, resourceVersion, generation 1, ADDED event, write log),
    /// but keeps its <c>status</c>. The type comes from <c>apiVersion</c>/<c>kind</c>; namespaced objects need
    /// <c>metadata.namespace</c>. Returns the stored object.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown type, missing namespace, invalid name or an existing object.</exception>
    public JsonObject Seed(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        var type = TypeOf(copy);
        var ns = ObjectRules.Text(copy["metadata"], "namespace");
        if (type.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{type.Kind} is namespaced: set metadata.namespace", nameof(obj));
        }

        try
        {
            return _store.Create(type, type.Namespaced ? ns : null, copy, keepStatus: true);
        }
        catch (KubeApiException e)
        {
            throw new ArgumentException($"seed rejected ({e.Code} {e.Reason}): {e.Message}", nameof(obj), e);
        }
    }

    /// <summary>The stored object, or null.</summary>
    public JsonObject? TryGet(string apiVersion, string kind, string? ns, string name)
    {
        var type = Type(apiVersion, kind);
        return _store.TryGet(type, type.Namespaced ? ns : null, name);
    }

    /// <summary>The stored objects of a kind (in one namespace or all), in key order.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        var type = Type(apiVersion, kind);
        return _store.List(type, type.Namespaced ? ns : null, LabelSelector.Everything, FieldSelector.Everything, 0, null).Items;
    }

    private KubeResourceType TypeOf(JsonObject obj) =>
        Type(ObjectRules.Text(obj, "apiVersion") ?? string.Empty, ObjectRules.Text(obj, "kind") ?? string.Empty);

    private KubeResourceType Type(string apiVersion, string kind) =>
        _registry.FindByKind(apiVersion, kind)
        ?? throw new ArgumentException($"no resource registered for apiVersion '{apiVersion}', kind '{kind}' (use RegisterResource)");
}

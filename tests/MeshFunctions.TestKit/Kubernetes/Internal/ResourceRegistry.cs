using System.Collections.Concurrent;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>The resource types the fake serves: built-ins, Istio's and ours, plus what tests register.</summary>
internal sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<string, KubeResourceType> _byPath = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KubeResourceType> _byKind = new(StringComparer.Ordinal);

    public ResourceRegistry()
    {
        foreach (var type in BuiltInResources.All)
        {
            Register(type);
        }
    }

    public IEnumerable<KubeResourceType> All => _byPath.Values.OrderBy(t => t.Key, StringComparer.Ordinal);

    public void Register(KubeResourceType type)
    {
        _byPath[type.Key] = type;
        _byKind[type.ApiVersion + "/" + type.Kind] = type;
    }

    public KubeResourceType? Find(string group, string version, string plural) =>
        _byPath.TryGetValue((group.Length == 0 ? version : group + "/" + version) + "/" + plural, out var type) ? type : null;

    public KubeResourceType? FindByKind(string apiVersion, string kind) =>
        _byKind.TryGetValue(apiVersion + "/" + kind, out var type) ? type : null;

    public bool HasGroupVersion(string group, string version) =>
        _byPath.Values.Any(t => t.Group == group && t.Version == version);
}

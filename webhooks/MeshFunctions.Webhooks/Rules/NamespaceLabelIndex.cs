using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// The labels of every cached namespace, in the form the mutator reads them (each label whose value is a JSON scalar, as
/// text), made once per cache snapshot (<see cref="Cache.ResourceInformer.Snapshot.Derived{T}"/>) instead of once per
/// request. Readers never modify it.
/// </summary>
internal sealed class NamespaceLabelIndex
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _labels = new(StringComparer.Ordinal);

    private NamespaceLabelIndex(IReadOnlyList<JsonObject> namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (ns["metadata"] is JsonObject metadata && metadata["name"] is JsonValue name && name.TryGetValue<string>(out var key)
                && metadata["labels"] is JsonObject labels)
            {
                _labels[key] = labels.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);
            }
        }
    }

    public static NamespaceLabelIndex Build(IReadOnlyList<JsonObject> namespaces) => new(namespaces);

    /// <summary>The labels of namespace <paramref name="ns"/>; null when it is not cached or has no labels.</summary>
    public IReadOnlyDictionary<string, string>? Of(string ns) => _labels.GetValueOrDefault(ns);
}

using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary><see cref="IJsonView{TSelf}"/> over a node tree (the reads of <see cref="JsonRead"/>).</summary>
internal readonly struct NodeView(JsonNode? node) : IJsonView<NodeView>
{
    public bool IsObject => node is JsonObject;

    public NodeView this[string name] => new(node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value : null);

    public string? String => JsonRead.String(node);

    public NodeView[] Items()
    {
        if (node is not JsonArray { Count: > 0 } array)
        {
            return [];
        }

        var items = new NodeView[array.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new NodeView(array[i]);
        }

        return items;
    }
}

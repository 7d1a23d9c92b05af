using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary><see cref="IJsonView{TSelf}"/> over a node tree (the reads of <see cref="JsonRead"/>).</summary>
internal readonly struct NodeView : IJsonView<NodeView>
{
    private readonly JsonNode? _node;

    // A node tree holds JSON null as a null node: this tells a member present as null from a missing one.
    private readonly bool _present;

    public NodeView(JsonNode? node)
        : this(node, node is not null)
    {
    }

    private NodeView(JsonNode? node, bool present)
    {
        _node = node;
        _present = present;
    }

    public bool IsObject => _node is JsonObject;

    public JsonValueKind Kind => _node is not null ? _node.GetValueKind() : _present ? JsonValueKind.Null : JsonValueKind.Undefined;

    public NodeView this[string name] => _node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? new(value, present: true) : default;

    public NodeView this[JsonText name] => this[name.Text];

    public string? String => JsonRead.String(_node);

    public int MemberCount => _node is JsonObject obj ? obj.Count : 0;

    public bool ValueEquals(JsonText text) => ValueEquals(text.Text);

    public bool ValueEquals(string text) => String is { } value && value == text;

    public bool FindNonStringMember(out string name, out JsonValueKind kind)
    {
        if (_node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                var member = new NodeView(value, present: true);
                if (member.Kind != JsonValueKind.String)
                {
                    name = key;
                    kind = member.Kind;
                    return true;
                }
            }
        }

        name = string.Empty;
        kind = JsonValueKind.Undefined;
        return false;
    }

    public long? Integer => JsonNav.AsLong(_node);

    public NodeView[] Items()
    {
        if (_node is not JsonArray { Count: > 0 } array)
        {
            return [];
        }

        var items = new NodeView[array.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new NodeView(array[i], present: true);
        }

        return items;
    }

    public KeyValuePair<string, NodeView>[] Members()
    {
        if (_node is not JsonObject { Count: > 0 } obj)
        {
            return [];
        }

        var members = new KeyValuePair<string, NodeView>[obj.Count];
        var i = 0;
        foreach (var (key, value) in obj)
        {
            members[i++] = new(key, new NodeView(value, present: true));
        }

        return members;
    }
}

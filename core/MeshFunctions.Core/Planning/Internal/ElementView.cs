using System.Text.Json;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary><see cref="IJsonView{TSelf}"/> over a parsed document: reads without building a node tree.</summary>
internal readonly struct ElementView : IJsonView<ElementView>
{
    private readonly JsonElement _element;

    // Read once: every rule asks the kind before it reads (a document answers it from its row table each time).
    private readonly JsonValueKind _kind;

    public ElementView(JsonElement element)
    {
        _element = element;
        _kind = element.ValueKind;
    }

    public bool IsObject => _kind == JsonValueKind.Object;

    public JsonValueKind Kind => _kind;

    public ElementView this[string name] => _kind == JsonValueKind.Object && _element.TryGetProperty(name, out var value) ? new(value) : default;

    public ElementView this[JsonText name] => _kind == JsonValueKind.Object && _element.TryGetProperty(name.Utf8, out var value) ? new(value) : default;

    public string? String => _kind == JsonValueKind.String ? _element.GetString() : null;

    public long? Integer => _kind != JsonValueKind.Number ? null
        : _element.TryGetInt64(out var direct) ? direct
        : JsonNav.IntegerFromText(_element.GetRawText());

    public int MemberCount
    {
        get
        {
            var count = 0;
            if (_kind == JsonValueKind.Object)
            {
                foreach (var _ in _element.EnumerateObject())
                {
                    count++;
                }
            }

            return count;
        }
    }

    public bool ValueEquals(JsonText text) => _kind == JsonValueKind.String && _element.ValueEquals(text.Utf8);

    public bool ValueEquals(string text) => _kind == JsonValueKind.String && _element.ValueEquals(text);

    public bool FindNonStringMember(out string name, out JsonValueKind kind)
    {
        if (_kind == JsonValueKind.Object)
        {
            foreach (var member in _element.EnumerateObject())
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    name = member.Name;
                    kind = member.Value.ValueKind;
                    return true;
                }
            }
        }

        name = string.Empty;
        kind = JsonValueKind.Undefined;
        return false;
    }

    public ElementView[] Items()
    {
        if (_kind != JsonValueKind.Array || _element.GetArrayLength() == 0)
        {
            return [];
        }

        var items = new ElementView[_element.GetArrayLength()];
        var i = 0;
        foreach (var item in _element.EnumerateArray())
        {
            items[i++] = new ElementView(item);
        }

        return items;
    }

    public KeyValuePair<string, ElementView>[] Members()
    {
        var count = MemberCount;
        if (count == 0)
        {
            return [];
        }

        var members = new KeyValuePair<string, ElementView>[count];
        var i = 0;
        foreach (var member in _element.EnumerateObject())
        {
            members[i++] = new(member.Name, new ElementView(member.Value));
        }

        return members;
    }
}

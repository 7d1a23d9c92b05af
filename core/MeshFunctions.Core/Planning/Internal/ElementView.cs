using System.Text.Json;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary><see cref="IJsonView{TSelf}"/> over a parsed document: reads without building a node tree.</summary>
internal readonly struct ElementView(JsonElement element) : IJsonView<ElementView>
{
    public bool IsObject => element.ValueKind == JsonValueKind.Object;

    public JsonValueKind Kind => element.ValueKind;

    public ElementView this[string name] => new(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default);

    public string? String => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    public long? Integer => element.ValueKind != JsonValueKind.Number ? null
        : element.TryGetInt64(out var direct) ? direct
        : JsonNav.IntegerFromText(element.GetRawText());

    public ElementView[] Items()
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            return [];
        }

        var items = new ElementView[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            items[i++] = new ElementView(item);
        }

        return items;
    }

    public KeyValuePair<string, ElementView>[] Members()
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        if (count == 0)
        {
            return [];
        }

        var members = new KeyValuePair<string, ElementView>[count];
        var i = 0;
        foreach (var member in element.EnumerateObject())
        {
            members[i++] = new(member.Name, new ElementView(member.Value));
        }

        return members;
    }
}

using System.Text.Json;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary><see cref="IJsonView{TSelf}"/> over a parsed document: reads without building a node tree.</summary>
internal readonly struct ElementView(JsonElement element) : IJsonView<ElementView>
{
    public bool IsObject => element.ValueKind == JsonValueKind.Object;

    public ElementView this[string name] => new(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default);


    public string? String => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

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
}

using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>A label or annotation map read in place (checked by <see cref="JsonNav.StringMap{T}"/>: every value a string).</summary>
internal readonly struct StringMap<T>(T map)
    where T : struct, IJsonView<T>
{
    /// <summary>The map's object (absent when the map is).</summary>
    public T View => map;

    /// <summary>The entry <paramref name="key"/> (a string, since every value is), or absent.</summary>
    public T this[JsonText key] => map[key];

    public bool TryGetValue(string key, out string? value)
    {
        value = map.IsObject ? map[key].String : null;
        return value is not null;
    }

    public bool TryGetValue(JsonText key, out string? value)
    {
        value = map[key].String;
        return value is not null;
    }

    public bool ContainsKey(JsonText key) => map[key].Kind == System.Text.Json.JsonValueKind.String;

    public string? GetValueOrDefault(string key) => TryGetValue(key, out var value) ? value : null;

    public string? GetValueOrDefault(JsonText key) => map[key].String;
}

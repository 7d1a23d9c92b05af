using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>A label or annotation map read in place (checked by <see cref="JsonNav.StringMap{T}"/>: every value a string).</summary>
internal readonly struct StringMap<T>(T map)
    where T : struct, IJsonView<T>
{
    /// <summary>The map's object (absent when the map is).</summary>
    public T View => map;

    public bool TryGetValue(string key, out string? value)
    {
        value = map.IsObject ? map[key].String : null;
        return value is not null;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public string? GetValueOrDefault(string key) => TryGetValue(key, out var value) ? value : null;
}

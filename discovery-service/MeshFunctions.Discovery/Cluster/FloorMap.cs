using System.Globalization;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// How version floors are kept in the state ConfigMap: one data entry per target, key <c>&lt;namespace&gt;.&lt;name&gt;</c>
/// (a namespace holds no dot, so the first dot splits; ConfigMap keys allow no slash), value the decimal floor, plus
/// <see cref="SwitchKey"/> for the rollback switch. Writers only ever raise a value (merge by maximum).
/// </summary>
internal static class FloorMap
{
    /// <summary>The entry of the rollback switch's own version floor (no target key lacks a dot).</summary>
    public const string SwitchKey = "switch";

    /// <summary>The cache key (<c>ns/name</c>, or <see cref="SwitchKey"/>) of a ConfigMap data key; null when malformed.</summary>
    public static string? CacheKey(string dataKey)
    {
        if (dataKey == SwitchKey)
        {
            return SwitchKey;
        }

        var dot = dataKey.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < dataKey.Length - 1 ? string.Concat(dataKey.AsSpan(0, dot), "/", dataKey.AsSpan(dot + 1)) : null;
    }

    /// <summary>The ConfigMap data key of a cache key.</summary>
    public static string DataKey(string cacheKey) => cacheKey.Replace('/', '.');

    /// <summary>Reads the floors of a ConfigMap's data; malformed keys or values are skipped (the next write drops them).</summary>
    public static Dictionary<string, ulong> Read(IDictionary<string, string>? data)
    {
        var floors = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (dataKey, text) in data ?? new Dictionary<string, string>())
        {
            if (CacheKey(dataKey) is { } key && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var floor) && floor > 0)
            {
                floors[key] = floor;
            }
        }

        return floors;
    }

    /// <summary>
    /// The data to store: <paramref name="stored"/> raised by <paramref name="pending"/>, without the floors
    /// <paramref name="redundant"/> says the live objects already exceed, and at most <paramref name="limit"/> entries
    /// (the highest floors are kept: the oldest deletions are the ones a watcher is least likely to still hold).
    /// </summary>
    public static Dictionary<string, string> Merge(
        IReadOnlyDictionary<string, ulong> stored,
        IReadOnlyDictionary<string, ulong> pending,
        Func<string, ulong, bool> redundant,
        int limit)
    {
        var merged = new Dictionary<string, ulong>(stored, StringComparer.Ordinal);
        foreach (var (key, floor) in pending)
        {
            merged[key] = Math.Max(floor, merged.GetValueOrDefault(key));
        }

        return merged
            .Where(e => !redundant(e.Key, e.Value))
            .OrderByDescending(e => e.Value)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .Take(limit)
            .ToDictionary(e => DataKey(e.Key), e => e.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}

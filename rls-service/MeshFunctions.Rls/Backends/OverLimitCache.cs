using System.Collections.Concurrent;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Fixed-window counters this instance has seen over their limit, answered without Redis until the
/// window ends (envoyproxy/ratelimit's local cache). Exact: within one fixed window a count only grows, so
/// once over it stays over whatever the other instances do. An entry only answers a check with the same
/// limit and window in the same window, so a reload that raises the limit goes back to Redis at once.
/// </summary>
internal sealed class OverLimitCache
{
    /// <summary>Bound on remembered keys; when full, expired entries are swept and new keys are skipped if still full.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Tries the cached verdict of <paramref name="check"/> at <paramref name="nowMs"/>.</summary>
    public bool TryGet(in CounterCheck check, long nowMs, out CounterResult result)
    {
        if (!_entries.IsEmpty && _entries.TryGetValue(check.Key, out var entry)
            && entry.Limit == check.Limit && entry.WindowMs == check.WindowMs
            && entry.WindowStart == nowMs - (nowMs % check.WindowMs))
        {
            result = new CounterResult(false, 0, entry.WindowStart + entry.WindowMs - nowMs, entry.Used);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Remembers that <paramref name="check"/> counted <paramref name="used"/> (over its limit) in the window starting at <paramref name="windowStart"/>.</summary>
    public void Add(in CounterCheck check, long windowStart, long used)
    {
        if (!_entries.ContainsKey(check.Key) && _entries.Count >= MaxEntries)
        {
            Sweep(windowStart);
            if (_entries.Count >= MaxEntries)
            {
                return;
            }
        }

        _entries[check.Key] = new Entry(check.Limit, check.WindowMs, windowStart, used);
    }

    /// <summary>Number of remembered keys (tests and diagnostics).</summary>
    public int Count => _entries.Count;

    private void Sweep(long nowMs)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.WindowStart + entry.WindowMs <= nowMs)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Entry(long Limit, long WindowMs, long WindowStart, long Used);
}

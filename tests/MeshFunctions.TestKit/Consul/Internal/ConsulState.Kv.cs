namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>The KV store, with tombstones so a delete moves the index of the prefixes above it.</summary>
internal sealed partial class ConsulState
{
    private readonly SortedDictionary<string, KvEntry> _kv = new(StringComparer.Ordinal);

    // Consul reaps tombstones after a while (then a list index can go backwards); the fake keeps them.
    private readonly SortedDictionary<string, ulong> _tombstones = new(StringComparer.Ordinal);
    private ulong _kvTableIndex;

    /// <summary>
    /// Writes a key. <paramref name="cas"/>: null = unconditional; 0 = only if absent; N = only if its ModifyIndex is N.
    /// Returns false (and changes nothing) when the check-and-set or the lock does not hold.
    /// </summary>
    public bool PutKv(string key, byte[]? value, ulong flags, ulong? cas, string? acquire, string? release)
    {
        lock (_gate)
        {
            _kv.TryGetValue(key, out var existing);
            if (cas is { } expected && (expected == 0 ? existing is not null : existing?.ModifyIndex != expected))
            {
                return false;
            }

            var session = existing?.Session;
            var lockIndex = existing?.LockIndex ?? 0;
            if (acquire is not null)
            {
                if (session is not null && session != acquire)
                {
                    return false;
                }

                if (session is null)
                {
                    lockIndex++;
                }

                session = acquire;
            }
            else if (release is not null)
            {
                if (session != release)
                {
                    return false;
                }

                session = null;
            }

            var index = NextIndex();
            var stored = value is { Length: > 0 } ? value.ToArray() : null;
            _kv[key] = new KvEntry(key, stored, flags, session, lockIndex, existing?.CreateIndex ?? index, index);
            _tombstones.Remove(key);
            _kvTableIndex = index;
            SignalChange();
            return true;
        }
    }

    /// <summary>Deletes one key or, with <paramref name="recurse"/>, every key under the prefix; cas as for put.</summary>
    public bool DeleteKv(string key, bool recurse, ulong? cas)
    {
        lock (_gate)
        {
            var victims = recurse
                ? _kv.Keys.Where(k => k.StartsWith(key, StringComparison.Ordinal)).ToList()
                : _kv.ContainsKey(key) ? [key] : [];
            if (!recurse && cas is { } expected && (!_kv.TryGetValue(key, out var existing) || existing.ModifyIndex != expected))
            {
                return false;
            }

            if (victims.Count == 0)
            {
                return true;
            }

            var index = NextIndex();
            foreach (var victim in victims)
            {
                _kv.Remove(victim);
                _tombstones[victim] = index;
            }

            _kvTableIndex = index;
            SignalChange();
            return true;
        }
    }

    /// <summary>One key, or null; the index is its ModifyIndex, or the KV table index when missing (Consul's KVSGet).</summary>
    public (KvEntry? Entry, ulong Index) GetKv(string key) =>
        _kv.TryGetValue(key, out var entry) ? (entry, entry.ModifyIndex) : (null, AtLeastOne(_kvTableIndex));

    /// <summary>Every key under a prefix; the index is the highest ModifyIndex or tombstone under it, else the table index.</summary>
    public (List<KvEntry> Entries, ulong Index) ListKv(string prefix)
    {
        var entries = _kv.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return (entries, PrefixIndex(prefix, entries));
    }

    /// <summary>Keys under a prefix, folded at the first <paramref name="separator"/> after it (kept, like Consul).</summary>
    public (List<string> Keys, ulong Index) ListKeys(string prefix, string? separator)
    {
        var entries = _kv.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var keys = new List<string>();
        foreach (var entry in entries)
        {
            var key = entry.Key;
            if (!string.IsNullOrEmpty(separator))
            {
                var at = key.IndexOf(separator, prefix.Length, StringComparison.Ordinal);
                if (at >= 0)
                {
                    key = key[..(at + separator.Length)];
                }
            }

            if (keys.Count == 0 || keys[^1] != key)
            {
                keys.Add(key);
            }
        }

        return (keys, PrefixIndex(prefix, entries));
    }

    private ulong PrefixIndex(string prefix, List<KvEntry> entries)
    {
        var index = entries.Count == 0 ? 0 : entries.Max(e => e.ModifyIndex);
        foreach (var (key, deletedAt) in _tombstones)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && deletedAt > index)
            {
                index = deletedAt;
            }
        }

        return AtLeastOne(index == 0 ? _kvTableIndex : index);
    }
}

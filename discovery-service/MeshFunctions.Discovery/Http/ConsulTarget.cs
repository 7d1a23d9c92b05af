namespace MeshFunctions.Discovery.Http;

/// <summary>
/// The raw request target (Kestrel leaves <c>%2F</c> encoded in <c>Request.Path</c>, so the raw target is the
/// only faithful source): the path as sent, and query parameters decoded like Go's <c>url.ParseQuery</c>.
/// </summary>
internal sealed class ConsulTarget
{
    /// <summary>
    /// The parameters that shape a read's answer and so are part of an upstream view's identity. Everything else
    /// (index, wait, token, consistency, cache and unknown parameters, which Consul ignores too) is handled here or
    /// dropped, so junk parameters cannot multiply upstream watches.
    /// </summary>
    private static readonly HashSet<string> Shaping = new(StringComparer.Ordinal)
    {
        "tag", "passing", "filter", "dc", "near", "node-meta", "ns", "partition", "peer", "sampling-factor",
        "recurse", "keys", "separator", "raw", "merge-central-config",
    };

    // Each non-empty `&`-separated part of the query as (start, length) in _raw: parsed once, decoded only when asked, so a
    // lookup allocates nothing for the parameters it does not have (tag, filter, token, wait, index…).
    private readonly (int Start, int Length)[] _parts;
    private readonly string _raw;

    private ConsulTarget(string raw, string rawPath, (int Start, int Length)[] parts)
    {
        _raw = raw;
        RawPath = rawPath;
        _parts = parts;
    }

    /// <summary>The path as sent, still percent-encoded.</summary>
    public string RawPath { get; }

    public static ConsulTarget Parse(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return new ConsulTarget(rawTarget, rawTarget, []);
        }

        var query = rawTarget.AsSpan(q + 1);
        var parts = new (int Start, int Length)[query.Count('&') + 1];
        var count = 0;
        var at = q + 1;
        foreach (var range in query.Split('&'))
        {
            var (offset, length) = range.GetOffsetAndLength(query.Length);
            if (length > 0)
            {
                parts[count++] = (at + offset, length);
            }
        }

        return new ConsulTarget(rawTarget, rawTarget[..q], count == parts.Length ? parts : parts[..count]);
    }

    public bool Has(string key) => IndexOfKey(key) >= 0;

    public string? Get(string key)
    {
        var i = IndexOfKey(key);
        if (i < 0)
        {
            return null;
        }

        var value = Value(_parts[i]);
        return value.IsEmpty ? string.Empty : Decode(value.ToString());
    }

    /// <summary>Consul's <c>getBoolQueryParam</c>: absent = false, present and empty = true, else Go's ParseBool; false when invalid.</summary>
    public bool TryGetBool(string key, out bool value)
    {
        value = false;
        switch (Get(key))
        {
            case null:
                return true;
            case "" or "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                return true;
            default:
                return false;
        }
    }

    /// <summary>The path and the parameters that shape the answer (selectors, dc, KV options), as sent, for upstream.</summary>
    public string UpstreamTarget()
    {
        var length = RawPath.Length;
        var allShaping = true;
        foreach (var part in _parts)
        {
            length += part.Length + 1;
            allShaping &= IsShaping(part);
        }

        if (allShaping && length == _raw.Length)
        {
            // The common lookup (no parameters, or only selectors such as passing or tag, no empty parts): the target as sent.
            return _raw;
        }

        System.Text.StringBuilder? kept = null;
        foreach (var part in _parts)
        {
            if (IsShaping(part))
            {
                kept = kept is null ? new System.Text.StringBuilder(RawPath).Append('?') : kept.Append('&');
                kept.Append(_raw.AsSpan(part.Start, part.Length));
            }
        }

        return kept?.ToString() ?? RawPath;
    }

    /// <summary>The raw target without the token (so it never reaches logs or upstream URLs twice).</summary>
    public string WithoutToken()
    {
        var kept = _parts.Where(p => Key(p) != "token").Select(p => _raw.Substring(p.Start, p.Length)).ToList();
        return kept.Count == 0 ? RawPath : RawPath + "?" + string.Join('&', kept);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private int IndexOfKey(string key)
    {
        for (var i = 0; i < _parts.Length; i++)
        {
            var raw = RawKey(_parts[i]);
            if (raw.ContainsAny('%', '+') ? Decode(raw.ToString()) == key : raw.SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsShaping((int Start, int Length) part)
    {
        var raw = RawKey(part);
        return raw.ContainsAny('%', '+') ? Shaping.Contains(Decode(raw.ToString())) : Shaping.GetAlternateLookup<ReadOnlySpan<char>>().Contains(raw);
    }

    private string Key((int Start, int Length) part) => Decode(RawKey(part).ToString());

    private ReadOnlySpan<char> RawKey((int Start, int Length) part)
    {
        var text = _raw.AsSpan(part.Start, part.Length);
        var eq = text.IndexOf('=');
        return eq < 0 ? text : text[..eq];
    }

    private ReadOnlySpan<char> Value((int Start, int Length) part)
    {
        var text = _raw.AsSpan(part.Start, part.Length);
        var eq = text.IndexOf('=');
        return eq < 0 ? [] : text[(eq + 1)..];
    }
}

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

    private readonly List<(string Key, string Value, string Raw)> _parameters = [];

    private readonly string _raw;

    private ConsulTarget(string raw, string rawPath)
    {
        _raw = raw;
        RawPath = rawPath;
    }

    /// <summary>The path as sent, still percent-encoded.</summary>
    public string RawPath { get; }

    public static ConsulTarget Parse(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var target = new ConsulTarget(rawTarget, q < 0 ? rawTarget : rawTarget[..q]);
        if (q >= 0)
        {
            foreach (var part in rawTarget[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? part : part[..eq];
                var value = eq < 0 ? string.Empty : part[(eq + 1)..];
                target._parameters.Add((Decode(key), Decode(value), part));
            }
        }

        return target;
    }

    public bool Has(string key) => Get(key) is not null;

    public string? Get(string key)
    {
        foreach (var p in _parameters)
        {
            if (p.Key == key)
            {
                return p.Value;
            }
        }

        return null;
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
        if (AllShaping())
        {
            // The common lookup (no parameters, or only selectors such as passing or tag): the target as sent, no copy.
            return _raw;
        }

        System.Text.StringBuilder? kept = null;
        foreach (var p in _parameters)
        {
            if (Shaping.Contains(p.Key))
            {
                kept = kept is null ? new System.Text.StringBuilder(RawPath).Append('?') : kept.Append('&');
                kept.Append(p.Raw);
            }
        }

        return kept?.ToString() ?? RawPath;
    }

    /// <summary>The raw target without the token (so it never reaches logs or upstream URLs twice).</summary>
    public string WithoutToken()
    {
        var kept = _parameters.Where(p => p.Key != "token").Select(p => p.Raw).ToList();
        return kept.Count == 0 ? RawPath : RawPath + "?" + string.Join('&', kept);
    }

    /// <summary>True when every parameter shapes the answer and the query holds nothing else (no empty parts), so the raw target is the upstream one.</summary>
    private bool AllShaping()
    {
        var length = RawPath.Length;
        foreach (var p in _parameters)
        {
            if (!Shaping.Contains(p.Key))
            {
                return false;
            }

            length += p.Raw.Length + 1;
        }

        return length == _raw.Length;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

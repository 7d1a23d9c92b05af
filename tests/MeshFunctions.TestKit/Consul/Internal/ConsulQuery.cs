namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// The raw request target split into a path decoded exactly once (so <c>%2F</c> in a KV key becomes <c>/</c>,
/// which Kestrel's <c>Request.Path</c> would leave encoded) and query parameters parsed like Go's <c>url.ParseQuery</c>.
/// </summary>
internal sealed class ConsulQuery
{
    private readonly List<(string Key, string Value)> _parameters = [];

    private ConsulQuery(string rawPath, string path)
    {
        RawPath = rawPath;
        Path = path;
    }

    /// <summary>The path as sent, still percent-encoded.</summary>
    public string RawPath { get; }

    /// <summary>The path decoded once.</summary>
    public string Path { get; }

    public static ConsulQuery Parse(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var query = new ConsulQuery(rawPath, Uri.UnescapeDataString(rawPath));
        if (q >= 0)
        {
            foreach (var part in rawTarget[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? part : part[..eq];
                var value = eq < 0 ? string.Empty : part[(eq + 1)..];
                query._parameters.Add((Decode(key), Decode(value)));
            }
        }

        return query;
    }

    /// <summary>Only presence matters for <c>recurse</c>, <c>keys</c>, <c>stale</c>, <c>consistent</c>, <c>raw</c>.</summary>
    public bool Has(string key) => _parameters.Exists(p => p.Key == key);

    public string? Get(string key) => _parameters.Find(p => p.Key == key) is { Key: not null } found ? found.Value : null;

    public IEnumerable<string> GetAll(string key) => _parameters.Where(p => p.Key == key).Select(p => p.Value);

    /// <summary>Consul's <c>getBoolQueryParam</c>: absent = false, present and empty = true, else Go's ParseBool.</summary>
    public bool TryGetBool(string key, out bool value)
    {
        value = false;
        var raw = Get(key);
        if (raw is null)
        {
            return true;
        }

        switch (raw)
        {
            case "" or "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                return true;
            default:
                return false;
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

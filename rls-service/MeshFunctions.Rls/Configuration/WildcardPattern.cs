namespace MeshFunctions.Rls.Configuration;

/// <summary>
/// A descriptor value with <c>*</c> wildcards; each <c>*</c> matches zero or more characters
/// (envoyproxy/ratelimit PRs #403, #420, #1085). Matching allocates nothing.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly string[] _parts;

    public WildcardPattern(string pattern)
    {
        Pattern = pattern;
        _parts = pattern.Split('*');
    }

    public string Pattern { get; }

    public static bool IsWildcard(string? value) => value is not null && value.Contains('*', StringComparison.Ordinal);

    public bool IsMatch(string value)
    {
        var span = value.AsSpan();
        var first = _parts[0];
        if (!span.StartsWith(first, StringComparison.Ordinal))
        {
            return false;
        }

        span = span[first.Length..];
        var last = _parts[^1];
        if (span.Length < last.Length || !span.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        span = span[..^last.Length];

        // Middle parts are matched leftmost-first, which is enough for '*' globs without other metacharacters.
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var index = span.IndexOf(_parts[i], StringComparison.Ordinal);
            if (index < 0)
            {
                return false;
            }

            span = span[(index + _parts[i].Length)..];
        }

        return true;
    }
}

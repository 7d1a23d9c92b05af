using System.Text.RegularExpressions;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Core.Resources;

/// <summary>The quota: which hosts, which requests, how many per unit.</summary>
public sealed record RateLimitSpec
{
    /// <summary>
    /// <c>host[:port]</c> of the protected service (for example <c>svc.ns.svc.cluster.local:80</c>; also
    /// <c>svc</c>, <c>svc.ns</c>). Each host gets its own counter of <see cref="Quota"/>.
    /// </summary>
    public List<string> Hosts { get; init; } = [];

    public RateLimitMatch Match { get; init; } = new();

    /// <summary>Requests allowed per <see cref="Unit"/>: 0 blocks every matching request; at most <see cref="uint.MaxValue"/>.</summary>
    public long Quota { get; init; }

    public RateLimitUnit Unit { get; init; } = RateLimitUnit.SECOND;

    /// <summary>Envoy rate limit <c>stage</c> (0–10) the actions are attached to. Default 0.</summary>
    public int Stage { get; init; }

    internal IEnumerable<Diagnostic> Validate()
    {
        if (Hosts.Count == 0)
        {
            yield return Diagnostic.Error("spec.hosts", "must list at least one host");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Hosts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Hosts[i]))
            {
                yield return Diagnostic.Error($"spec.hosts[{i}]", "must not be empty");
            }
            else if (RateLimitHost.CheckSyntax(Hosts[i]) is { } hostError)
            {
                yield return Diagnostic.Error($"spec.hosts[{i}]", hostError);
            }
            else if (!seen.Add(Hosts[i]))
            {
                yield return Diagnostic.Error($"spec.hosts[{i}]", $"'{Hosts[i]}' is listed twice");
            }
        }

        if (Quota < 0)
        {
            yield return Diagnostic.Error("spec.quota", $"must be zero or more, got {Quota}");
        }
        else if (Quota > uint.MaxValue)
        {
            // The RLS protocol carries requests_per_unit as uint32; a larger quota cannot be enforced.
            yield return Diagnostic.Error("spec.quota", $"must be at most {uint.MaxValue} (the RLS counts in uint32), got {Quota}");
        }

        if (Stage is < 0 or > 10)
        {
            yield return Diagnostic.Error("spec.stage", $"must be between 0 and 10 (Envoy's rate limit stages), got {Stage}");
        }

        for (var i = 0; i < Match.Headers.Count; i++)
        {
            var h = Match.Headers[i];
            var path = $"spec.match.headers[{i}]";
            if (string.IsNullOrEmpty(h.Key))
            {
                yield return Diagnostic.Error(path + ".key", "is required");
            }
            else if (CheckHeaderName(h.Key) is { } keyError)
            {
                yield return Diagnostic.Error(path + ".key", keyError);
            }

            var matchType = h.MatchType.ToString().ToLowerInvariant();
            if (h.MatchType == HeaderMatchType.Present)
            {
                if (h.Value is not null)
                {
                    yield return Diagnostic.Error(path + ".value", "must be omitted for matchType present (it only checks that the header exists)");
                }

                continue;
            }

            if (h.Value is null)
            {
                yield return Diagnostic.Error(path + ".value", $"is required for matchType {matchType}");
            }
            else if (h.Value.Length == 0 && h.MatchType != HeaderMatchType.Exact)
            {
                // Envoy's StringMatcher requires at least one character for prefix and safe_regex.
                yield return Diagnostic.Error(path + ".value", $"must not be empty for matchType {matchType}");
            }
            else if (h.MatchType == HeaderMatchType.Regex && Re2Syntax.FindIncompatibility(h.Value) is { } re2Error)
            {
                yield return Diagnostic.Error(path + ".value", $"is not valid for Envoy's RE2 engine: {re2Error}");
            }
            else if (h.MatchType == HeaderMatchType.Regex && !IsValidRegex(h.Value, out var error))
            {
                yield return Diagnostic.Error(path + ".value", $"is not a valid regular expression: {error}");
            }
        }
    }

    private static string? CheckHeaderName(string key)
    {
        if (key.StartsWith(':'))
        {
            return key is ":path" or ":authority" or ":method" or ":scheme"
                ? null
                : $"'{key}' is not a request pseudo-header: use :path, :authority, :method or :scheme";
        }

        foreach (var c in key)
        {
            // RFC 9110 token characters.
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return $"'{key}' is not a valid header name (character '{c}' is not allowed)";
            }
        }

        return null;
    }

    private static bool IsValidRegex(string pattern, out string? error)
    {
        try
        {
            // RE2 spells named groups (?P<name>...); .NET only knows (?<name>...), which means the same.
            _ = new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}

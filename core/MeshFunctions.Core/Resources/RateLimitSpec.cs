using System.Text.RegularExpressions;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>The quota: which hosts, which requests, how many per unit.</summary>
public sealed record RateLimitSpec
{
    /// <summary><c>host[:port]</c> of the protected service (for example <c>svc.ns.svc.cluster.local:80</c>).</summary>
    public List<string> Hosts { get; init; } = [];

    public RateLimitMatch Match { get; init; } = new();

    /// <summary>Requests allowed per <see cref="Unit"/>.</summary>
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

        for (var i = 0; i < Hosts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Hosts[i]))
            {
                yield return Diagnostic.Error($"spec.hosts[{i}]", "must not be empty");
            }
        }

        if (Quota < 0)
        {
            yield return Diagnostic.Error("spec.quota", $"must be zero or more, got {Quota}");
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

            if (h.MatchType == HeaderMatchType.Present)
            {
                continue;
            }

            if (h.Value is null)
            {
                yield return Diagnostic.Error(path + ".value", $"is required for matchType {h.MatchType.ToString().ToLowerInvariant()}");
            }
            else if (h.MatchType == HeaderMatchType.Regex && !IsValidRegex(h.Value, out var error))
            {
                yield return Diagnostic.Error(path + ".value", $"is not a valid regular expression: {error}");
            }
        }
    }

    private static bool IsValidRegex(string pattern, out string? error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
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

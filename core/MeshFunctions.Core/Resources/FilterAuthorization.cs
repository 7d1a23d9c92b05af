using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Becomes an <c>AuthorizationPolicy</c> (one rule: sources AND operations) on the Router's workloads.
/// Istio semantics apply: with action ALLOW, requests that match no ALLOW policy are denied.
/// </summary>
public sealed record FilterAuthorization
{
    /// <summary><c>ALLOW</c> (default) or <c>DENY</c>.</summary>
    public string? Action { get; init; }

    public List<string>? Principals { get; init; }

    public List<string>? Namespaces { get; init; }

    public List<string>? IpBlocks { get; init; }

    public List<string>? RemoteIpBlocks { get; init; }

    public List<string>? Paths { get; init; }

    public List<string>? Methods { get; init; }

    internal bool HasSource => Principals is { Count: > 0 } || Namespaces is { Count: > 0 } || IpBlocks is { Count: > 0 } || RemoteIpBlocks is { Count: > 0 };

    internal bool HasOperation => Paths is { Count: > 0 } || Methods is { Count: > 0 };

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Action is not (null or "ALLOW" or "DENY"))
        {
            yield return Diagnostic.Error(path + ".action", $"must be ALLOW or DENY, got '{Action}'");
        }

        if (!HasSource && !HasOperation)
        {
            yield return Diagnostic.Error(path, "must list at least one of principals, namespaces, ipBlocks, remoteIpBlocks, paths, methods (an empty rule would match every request)");
        }

        foreach (var d in FilterRules.NonEmptyItems(Principals, path + ".principals")
            .Concat(FilterRules.NonEmptyItems(Namespaces, path + ".namespaces"))
            .Concat(FilterRules.NonEmptyItems(Methods, path + ".methods"))
            .Concat(FilterRules.IpBlocks(IpBlocks, path + ".ipBlocks"))
            .Concat(FilterRules.IpBlocks(RemoteIpBlocks, path + ".remoteIpBlocks")))
        {
            yield return d;
        }

        for (var i = 0; Paths is not null && i < Paths.Count; i++)
        {
            if (Paths[i] is not ['/', ..] and not ['*', ..])
            {
                yield return Diagnostic.Error($"{path}.paths[{i}]", $"'{Paths[i]}' must start with '/' (or '*' for a suffix match)");
            }
        }
    }
}

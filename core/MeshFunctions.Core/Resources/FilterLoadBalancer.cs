using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>LoadBalancerSettings</c>: exactly one of <c>simple</c> and <c>consistentHash</c>.</summary>
public sealed record FilterLoadBalancer
{
    private static readonly string[] SimpleValues = ["UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN"];

    public string? Simple { get; init; }

    public FilterConsistentHash? ConsistentHash { get; init; }

    public string? WarmupDurationSecs { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if ((Simple is null) == (ConsistentHash is null))
        {
            yield return Diagnostic.Error(path, "must set exactly one of simple and consistentHash");
        }

        if (Simple is not null && !SimpleValues.Contains(Simple, StringComparer.Ordinal))
        {
            yield return Diagnostic.Error(path + ".simple", $"must be one of {string.Join(", ", SimpleValues)}, got '{Simple}'");
        }

        foreach (var d in (ConsistentHash?.Validate(path + ".consistentHash") ?? []).Concat(FilterRules.Duration(WarmupDurationSecs, path + ".warmupDurationSecs")))
        {
            yield return d;
        }
    }
}

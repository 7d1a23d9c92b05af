using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// A per-pod token bucket on the inbound side of each selected branch (Envoy <c>local_ratelimit</c>),
/// rendered as the seed's <c>locallimit-*</c> EnvoyFilter.
/// </summary>
public sealed record FilterLocalRateLimit
{
    /// <summary>Envoy refills at most every 50 ms.</summary>
    internal static readonly TimeSpan MinimumFillInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Tokens added every <see cref="FillInterval"/>; required, at least 1.</summary>
    public long TokensPerFill { get; init; }

    /// <summary>Default <c>1s</c>.</summary>
    public string FillInterval { get; init; } = "1s";

    /// <summary>Bucket size (and initial fill); defaults to <see cref="TokensPerFill"/>.</summary>
    public long? MaxTokens { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (TokensPerFill is < 1 or > uint.MaxValue)
        {
            yield return Diagnostic.Error(path + ".tokensPerFill", $"must be between 1 and {uint.MaxValue}, got {TokensPerFill}");
        }

        if (MaxTokens is { } max && (max < 1 || max > uint.MaxValue))
        {
            yield return Diagnostic.Error(path + ".maxTokens", $"must be between 1 and {uint.MaxValue}, got {max}");
        }

        foreach (var d in FilterRules.Duration(FillInterval, path + ".fillInterval", MinimumFillInterval))
        {
            yield return d;
        }
    }
}

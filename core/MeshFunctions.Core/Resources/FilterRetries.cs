using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>HTTPRetry</c>, copied onto <c>http[].retries</c> of the selected routes.</summary>
public sealed record FilterRetries
{
    /// <summary>Retries allowed per request; 0 disables retries.</summary>
    public int? Attempts { get; init; }

    public string? PerTryTimeout { get; init; }

    /// <summary>Envoy retry conditions, comma separated (<c>5xx,reset,connect-failure</c>; integers are status codes).</summary>
    public string? RetryOn { get; init; }

    public bool? RetryRemoteLocalities { get; init; }

    public bool? RetryIgnorePreviousHosts { get; init; }

    public string? Backoff { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Attempts is < 0)
        {
            yield return Diagnostic.Error(path + ".attempts", $"must be zero or more, got {Attempts}");
        }

        if (RetryOn is not null && RetryOn.Split(',').Any(c => c.Trim().Length == 0))
        {
            yield return Diagnostic.Error(path + ".retryOn", $"'{RetryOn}' has an empty condition (expected a comma-separated list such as '5xx,reset')");
        }

        foreach (var d in FilterRules.Duration(PerTryTimeout, path + ".perTryTimeout").Concat(FilterRules.Duration(Backoff, path + ".backoff")))
        {
            yield return d;
        }
    }
}

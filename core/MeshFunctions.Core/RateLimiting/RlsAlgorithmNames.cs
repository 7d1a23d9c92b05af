namespace MeshFunctions.Core.RateLimiting;

/// <summary>The YAML spelling of <see cref="RlsAlgorithm"/> (MeshFunctions' extension key <c>algorithm</c>).</summary>
internal static class RlsAlgorithmNames
{
    public const string Expected = "fixed_window, sliding_window, token_bucket";

    public static string ToYaml(RlsAlgorithm algorithm) => algorithm switch
    {
        RlsAlgorithm.SlidingWindow => "sliding_window",
        RlsAlgorithm.TokenBucket => "token_bucket",
        _ => "fixed_window",
    };

    public static bool TryParse(string text, out RlsAlgorithm algorithm)
    {
        (var ok, algorithm) = text switch
        {
            "fixed_window" => (true, RlsAlgorithm.FixedWindow),
            "sliding_window" => (true, RlsAlgorithm.SlidingWindow),
            "token_bucket" => (true, RlsAlgorithm.TokenBucket),
            _ => (false, RlsAlgorithm.FixedWindow),
        };
        return ok;
    }
}

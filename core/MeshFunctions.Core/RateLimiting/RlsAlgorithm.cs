using System.Text.Json.Serialization;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>How a limit counts requests.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RlsAlgorithm>))]
public enum RlsAlgorithm
{
    /// <summary>Counter per calendar-aligned window, as envoyproxy/ratelimit does (the default).</summary>
    [JsonStringEnumMemberName("fixed_window")]
    FixedWindow,

    /// <summary>Weighted previous + current window count; smooths the burst at window edges.</summary>
    [JsonStringEnumMemberName("sliding_window")]
    SlidingWindow,

    /// <summary>Bucket of <c>requests_per_unit</c> tokens refilled continuously over the unit.</summary>
    [JsonStringEnumMemberName("token_bucket")]
    TokenBucket,
}

using System.Text.Json.Serialization;

namespace MeshFunctions.Core.Resources;

/// <summary>The window a quota is counted over (RLS v3 <c>RateLimitUnit</c> names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateLimitUnit>))]
public enum RateLimitUnit
{
    SECOND,
    MINUTE,
    HOUR,
    DAY,
    WEEK,
    MONTH,
    YEAR,
}

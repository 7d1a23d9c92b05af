using System.Text.Json.Serialization;

namespace MeshFunctions.Core.Resources;

/// <summary>How a RateLimit header match compares the header value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HeaderMatchType>))]
public enum HeaderMatchType
{
    [JsonStringEnumMemberName("exact")]
    Exact,

    [JsonStringEnumMemberName("prefix")]
    Prefix,

    [JsonStringEnumMemberName("regex")]
    Regex,

    [JsonStringEnumMemberName("present")]
    Present,
}

using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>The lower-case unit spelling of envoyproxy/ratelimit's YAML (read case-insensitively).</summary>
internal static class RlsUnitNames
{
    public const string Expected = "second, minute, hour, day, week, month, year";

    public static string ToYaml(RateLimitUnit unit) => unit.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out RateLimitUnit unit)
    {
        unit = default;
        return text.Length > 0 && char.IsAsciiLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out unit) && Enum.IsDefined(unit);
    }
}

using System.Text.RegularExpressions;

namespace MeshFunctions.Core.Resources;

/// <summary>Kubernetes name rules (apimachinery <c>validation.IsDNS1123Label</c>, label values).</summary>
public static partial class Names
{
    public const int MaxLabelLength = 63;

    /// <summary>True for a DNS-1123 label: lower-case alphanumerics and '-', 1–63 chars, alphanumeric at both ends.</summary>
    public static bool IsDns1123Label(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Dns1123Label().IsMatch(value);

    /// <summary>True for a DNS-1123 subdomain (names of most objects): labels joined by dots, at most 253 chars.</summary>
    public static bool IsDns1123Subdomain(string? value) =>
        value is { Length: > 0 and <= 253 } && Dns1123Subdomain().IsMatch(value);

    /// <summary>True for a label value: empty, or 1–63 of <c>[A-Za-z0-9._-]</c> starting and ending alphanumeric.</summary>
    public static bool IsLabelValue(string? value) =>
        value is not null && (value.Length == 0 || (value.Length <= MaxLabelLength && LabelValue().IsMatch(value)));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}

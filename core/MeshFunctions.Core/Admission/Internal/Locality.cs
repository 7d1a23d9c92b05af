using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// The <c>istio-locality</c> label value: <c>region.zone[.subzone]</c> with dots, since label values cannot hold
/// <c>/</c>. Istio turns the dots back into slashes, so a region or zone name that itself contains a dot cannot be expressed.
/// </summary>
internal static class Locality
{
    /// <summary>The dotted label value for <paramref name="value"/> (dots or slashes accepted), or null with <paramref name="error"/>.</summary>
    public static string? Normalize(string? value, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "locality is empty; expected region.zone[.subzone]";
            return null;
        }

        var slashed = value.Contains('/', StringComparison.Ordinal);
        var parts = value.Split(slashed ? '/' : '.');
        if (slashed && parts.Any(p => p.Contains('.', StringComparison.Ordinal)))
        {
            error = $"locality '{value}' has a dot inside a region/zone name, which the istio-locality label cannot express (Istio turns dots into '/')";
            return null;
        }

        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            error = $"locality '{value}' must be region.zone or region.zone.subzone";
            return null;
        }

        var label = string.Join('.', parts);
        if (!Names.IsLabelValue(label))
        {
            error = $"locality '{value}' is not a valid label value as '{label}' (letters, digits, '-', '_', '.', at most 63 characters)";
            return null;
        }

        return label;
    }

    /// <summary>A locality from node labels (region and zone required, subzone optional), or null.</summary>
    public static string? FromNodeLabels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || !labels.TryGetValue(IstioNames.RegionLabel, out var region) || !labels.TryGetValue(IstioNames.ZoneLabel, out var zone))
        {
            return null;
        }

        return labels.TryGetValue(IstioNames.SubzoneLabel, out var subzone) && subzone.Length > 0
            ? $"{region}/{zone}/{subzone}"
            : $"{region}/{zone}";
    }
}

using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Mirrors (shadows) traffic of the selected routes either to a branch (and optionally a version) of the
/// same Router, or to any <see cref="Host"/>. Becomes <c>http[].mirror</c> + <c>mirrorPercentage</c>.
/// </summary>
public sealed record FilterMirror
{
    public string? Branch { get; init; }

    /// <summary>A version of <see cref="Branch"/> (its DestinationRule subset); default subset when absent.</summary>
    public string? Version { get; init; }

    public string? Host { get; init; }

    public int? Port { get; init; }

    /// <summary>Share of requests mirrored; Istio mirrors 100% when absent.</summary>
    public FilterPercent? Percentage { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if ((Branch is null) == (Host is null))
        {
            yield return Diagnostic.Error(path, "must set exactly one of branch (a branch of the same Router) and host");
        }

        if (Branch is not null && !Names.IsDns1123Label(Branch))
        {
            yield return Diagnostic.Error(path + ".branch", $"'{Branch}' is not a valid branch name (DNS-1123 label)");
        }

        if (Version is not null && (Branch is null || Version.Length == 0 || !Names.IsLabelValue(Version)))
        {
            yield return Diagnostic.Error(path + ".version", Branch is null ? "needs branch" : $"'{Version}' is not a valid version label value");
        }

        if (Host is not null && !Names.IsDns1123Subdomain(Host))
        {
            yield return Diagnostic.Error(path + ".host", $"'{Host}' is not a valid host name");
        }

        if (Port is { } port && port is < 1 or > 65535)
        {
            yield return Diagnostic.Error(path + ".port", $"must be between 1 and 65535, got {port}");
        }

        foreach (var d in FilterRules.Percent(Percentage, path + ".percentage"))
        {
            yield return d;
        }
    }
}

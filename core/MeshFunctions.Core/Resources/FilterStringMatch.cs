using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>StringMatch</c>: exactly one of <c>exact</c>, <c>prefix</c>, <c>regex</c> (RE2).</summary>
public sealed record FilterStringMatch
{
    public string? Exact { get; init; }

    public string? Prefix { get; init; }

    public string? Regex { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        var set = (Exact is null ? 0 : 1) + (Prefix is null ? 0 : 1) + (Regex is null ? 0 : 1);
        if (set != 1)
        {
            yield return Diagnostic.Error(path, "must set exactly one of exact, prefix, regex");
        }

        foreach (var d in FilterRules.Regex(Regex, path + ".regex"))
        {
            yield return d;
        }
    }
}

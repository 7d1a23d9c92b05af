using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>CorsPolicy</c>, copied onto <c>http[].corsPolicy</c> of the selected routes.</summary>
public sealed record FilterCorsPolicy
{
    public List<FilterStringMatch>? AllowOrigins { get; init; }

    public List<string>? AllowMethods { get; init; }

    public List<string>? AllowHeaders { get; init; }

    public List<string>? ExposeHeaders { get; init; }

    public string? MaxAge { get; init; }

    public bool? AllowCredentials { get; init; }

    /// <summary><c>FORWARD</c> or <c>IGNORE</c>.</summary>
    public string? UnmatchedPreflights { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (AllowOrigins is not { Count: > 0 })
        {
            yield return Diagnostic.Error(path + ".allowOrigins", "must list at least one origin match (exact, prefix or regex)");
        }

        for (var i = 0; AllowOrigins is not null && i < AllowOrigins.Count; i++)
        {
            foreach (var d in AllowOrigins[i].Validate($"{path}.allowOrigins[{i}]"))
            {
                yield return d;
            }
        }

        foreach (var d in FilterRules.Duration(MaxAge, path + ".maxAge")
            .Concat(FilterRules.NonEmptyItems(AllowMethods, path + ".allowMethods"))
            .Concat(FilterRules.NonEmptyItems(AllowHeaders, path + ".allowHeaders"))
            .Concat(FilterRules.NonEmptyItems(ExposeHeaders, path + ".exposeHeaders")))
        {
            yield return d;
        }

        if (UnmatchedPreflights is not (null or "FORWARD" or "IGNORE"))
        {
            yield return Diagnostic.Error(path + ".unmatchedPreflights", $"must be FORWARD or IGNORE, got '{UnmatchedPreflights}'");
        }
    }
}

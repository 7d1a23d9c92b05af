using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Narrows an IstioFilter to some of its Router's branches and/or VirtualService routes (by <c>http[].name</c>).
/// Absent lists select everything. Branches narrow routes, DestinationRules and workload objects;
/// route names narrow routes only.
/// </summary>
public sealed record FilterSelector
{
    public List<string>? Branches { get; init; }

    public List<string>? Routes { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Branches is { Count: 0 })
        {
            yield return Diagnostic.Error(path + ".branches", "must not be empty: omit it to select every branch");
        }

        if (Routes is { Count: 0 })
        {
            yield return Diagnostic.Error(path + ".routes", "must not be empty: omit it to select every route");
        }

        for (var i = 0; Branches is not null && i < Branches.Count; i++)
        {
            if (!Names.IsDns1123Label(Branches[i]))
            {
                yield return Diagnostic.Error($"{path}.branches[{i}]", $"'{Branches[i]}' is not a valid branch name (DNS-1123 label)");
            }
        }

        foreach (var d in FilterRules.NonEmptyItems(Routes, path + ".routes"))
        {
            yield return d;
        }
    }
}

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

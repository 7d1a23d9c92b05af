using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>HeaderOperations</c>: <c>set</c> (overwrite), <c>add</c> (append), <c>remove</c>.</summary>
public sealed record FilterHeaderOperations
{
    public Dictionary<string, string>? Set { get; init; }

    public Dictionary<string, string>? Add { get; init; }

    public List<string>? Remove { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Set is not { Count: > 0 } && Add is not { Count: > 0 } && Remove is not { Count: > 0 })
        {
            yield return Diagnostic.Error(path, "must set at least one of set, add, remove");
        }

        foreach (var (op, map) in new[] { ("set", Set), ("add", Add) })
        {
            foreach (var name in map?.Keys ?? Enumerable.Empty<string>())
            {
                if (!FilterRules.IsHeaderName(name))
                {
                    yield return Diagnostic.Error(JsonPath.Property(path + "." + op, name), $"'{name}' is not a valid header name");
                }
            }
        }

        for (var i = 0; Remove is not null && i < Remove.Count; i++)
        {
            if (!FilterRules.IsHeaderName(Remove[i]))
            {
                yield return Diagnostic.Error($"{path}.remove[{i}]", $"'{Remove[i]}' is not a valid header name");
            }
        }
    }
}

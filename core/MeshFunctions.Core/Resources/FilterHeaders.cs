using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>Headers</c>: request and response header operations, merged per header into <c>http[].headers</c>.</summary>
public sealed record FilterHeaders
{
    public FilterHeaderOperations? Request { get; init; }

    public FilterHeaderOperations? Response { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Request is null && Response is null)
        {
            yield return Diagnostic.Error(path, "must set request, response or both");
        }

        foreach (var d in (Request?.Validate(path + ".request") ?? []).Concat(Response?.Validate(path + ".response") ?? []))
        {
            yield return d;
        }
    }
}

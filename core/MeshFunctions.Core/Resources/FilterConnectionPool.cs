using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>ConnectionPoolSettings</c>; <c>tcp</c> and <c>http</c> each replace the DestinationRule's block.</summary>
public sealed record FilterConnectionPool
{
    public FilterTcpSettings? Tcp { get; init; }

    public FilterHttpSettings? Http { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Tcp is null && Http is null)
        {
            yield return Diagnostic.Error(path, "must set tcp, http or both");
        }

        foreach (var d in (Tcp?.Validate(path + ".tcp") ?? []).Concat(Http?.Validate(path + ".http") ?? []))
        {
            yield return d;
        }
    }
}

using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Keeps a caller's original Host across the mesh (the seed's Lua pair): callers' sidecars copy an unknown
/// Host into <see cref="Header"/> and route by the Router's host; the Router's inbound sidecars restore it.
/// </summary>
public sealed record FilterHostPassthrough
{
    /// <summary>Header that carries the original Host. Default <c>x-original-host</c>.</summary>
    public string Header { get; init; } = "x-original-host";

    /// <summary>
    /// Labels of the calling workloads (in the Router's namespace) whose outbound traffic is rewritten.
    /// Absent: every workload in the namespace. Any unknown Host on the Router's port from these callers is
    /// sent to this Router, so keep the set narrow.
    /// </summary>
    public Dictionary<string, string>? Callers { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (!FilterRules.IsHeaderName(Header))
        {
            yield return Diagnostic.Error(path + ".header", $"'{Header}' is not a valid header name");
        }

        foreach (var (key, value) in Callers ?? [])
        {
            if (key.Length == 0 || !Names.IsLabelValue(value))
            {
                yield return Diagnostic.Error(Yaml.JsonPath.Property(path + ".callers", key), $"'{key}: {value}' is not a valid label");
            }
        }
    }
}

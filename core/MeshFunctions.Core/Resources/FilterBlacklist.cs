using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Becomes a DENY <c>AuthorizationPolicy</c>: a request from ANY listed source is rejected.</summary>
public sealed record FilterBlacklist
{
    public List<string>? IpBlocks { get; init; }

    public List<string>? RemoteIpBlocks { get; init; }

    public List<string>? Principals { get; init; }

    public List<string>? Namespaces { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (IpBlocks is not { Count: > 0 } && RemoteIpBlocks is not { Count: > 0 } && Principals is not { Count: > 0 } && Namespaces is not { Count: > 0 })
        {
            yield return Diagnostic.Error(path, "must list at least one of ipBlocks, remoteIpBlocks, principals, namespaces");
        }

        foreach (var d in FilterRules.IpBlocks(IpBlocks, path + ".ipBlocks")
            .Concat(FilterRules.IpBlocks(RemoteIpBlocks, path + ".remoteIpBlocks"))
            .Concat(FilterRules.NonEmptyItems(Principals, path + ".principals"))
            .Concat(FilterRules.NonEmptyItems(Namespaces, path + ".namespaces")))
        {
            yield return d;
        }
    }
}

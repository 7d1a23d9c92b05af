namespace MeshFunctions.Core.Planning;

/// <summary>How <see cref="SubsetReferences.FindMissing"/> resolves hosts and what it reports.</summary>
public sealed record SubsetCheckOptions
{
    /// <summary>The options with every default.</summary>
    public static SubsetCheckOptions Default { get; } = new();

    /// <summary>Appended to short host names (<c>reviews</c> → <c>reviews.&lt;ns&gt;.svc.&lt;domain&gt;</c>). Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary><c>meshConfig.rootNamespace</c>, the last namespace istiod searches for a DestinationRule. Default <c>istio-system</c>.</summary>
    public string RootNamespace { get; init; } = "istio-system";

    /// <summary>
    /// Skip references to hosts that no given DestinationRule covers. Default false (report them), which suits a
    /// complete view of the cluster; true suits a partial set, such as one Router's objects that mirror to a service
    /// whose DestinationRule is not among them.
    /// </summary>
    public bool IgnoreHostsWithoutDestinationRule { get; init; }
}

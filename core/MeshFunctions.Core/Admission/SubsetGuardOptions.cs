namespace MeshFunctions.Core.Admission;

/// <summary>Mesh settings the subset guard needs to resolve hosts and DestinationRules like istiod.</summary>
public sealed class SubsetGuardOptions
{
    /// <summary>The cluster DNS domain. Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary><c>meshConfig.rootNamespace</c>, the last place istiod looks for a DestinationRule. Default <c>istio-system</c>.</summary>
    public string RootNamespace { get; set; } = "istio-system";

    /// <summary>Shared defaults.</summary>
    public static SubsetGuardOptions Default { get; } = new();
}

namespace MeshFunctions.Core.Planning;

/// <summary>How <see cref="TransitionPlanner"/> plans.</summary>
public sealed record PlanOptions
{
    /// <summary>The options with every default.</summary>
    public static PlanOptions Default { get; } = new();

    /// <summary>How long each <see cref="WaitStep"/> waits for config to reach the proxies. Default 30 s (the seed's figure).</summary>
    public TimeSpan PropagationDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cluster DNS domain for resolving short host names. Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary><c>meshConfig.rootNamespace</c>, the last namespace istiod searches for a DestinationRule. Default <c>istio-system</c>.</summary>
    public string RootNamespace { get; init; } = "istio-system";
}

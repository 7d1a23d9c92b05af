namespace MeshFunctions.Core.Events;

/// <summary>
/// The Storage Queue names that carry MeshFunctions' CloudEvents. Producers (Discovery, the webhooks,
/// <c>meshctl publish</c>, CI) and the functions app agree on these and nothing else; a failed message
/// moves to <c>&lt;queue&gt;-poison</c> after the host's <c>maxDequeueCount</c> (5).
/// </summary>
public static class MeshEventQueues
{
    /// <summary>A version of a service/branch was deployed, promoted, weighted, rolled back or deleted.</summary>
    public const string DeployEvents = "deploy-events";

    /// <summary>A service appeared in, disappeared from or changed in upstream Consul (from Discovery).</summary>
    public const string ConsulEvents = "consul-events";

    /// <summary>A Router, IstioFilter or RateLimit was admitted (from the validating webhook).</summary>
    public const string MeshConfigEvents = "mesh-config-events";

    /// <summary>A mesh caller resolved a target through Discovery.</summary>
    public const string DependencyEvents = "dependency-events";

    /// <summary>Every queue above, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [DeployEvents, ConsulEvents, MeshConfigEvents, DependencyEvents];

    /// <summary>The queue a message lands in after it failed too often.</summary>
    public static string Poison(string queue) => queue + "-poison";
}

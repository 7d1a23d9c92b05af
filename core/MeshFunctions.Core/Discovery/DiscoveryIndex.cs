namespace MeshFunctions.Core.Discovery;

/// <summary>
/// The <c>X-Consul-Index</c> Discovery sends, composed only from state every replica shares: upstream
/// Consul's index for the query, the target's Kubernetes change version, the caller pod's resourceVersion
/// and the rollback switch's resourceVersion. Each part only grows (Raft index, etcd revision), so the sum
/// only grows and grows whenever any part does — that is, whenever an answer can have changed, including a
/// mesh/legacy flip. Two replicas that have seen the same state compute the same number.
/// </summary>
public static class DiscoveryIndex
{
    /// <summary>Adds the parts (saturating at <see cref="ulong.MaxValue"/>); never less than 1.</summary>
    public static ulong Compose(ulong upstreamIndex, ulong targetVersion, ulong callerVersion, ulong switchVersion)
    {
        var sum = upstreamIndex;
        foreach (var part in (ReadOnlySpan<ulong>)[targetVersion, callerVersion, switchVersion])
        {
            sum = ulong.MaxValue - sum < part ? ulong.MaxValue : sum + part;
        }

        return Math.Max(sum, 1UL);
    }

    /// <summary>Reads a Kubernetes resourceVersion as a number (etcd revision); 0 when it is not one.</summary>
    public static ulong ParseResourceVersion(string? resourceVersion) =>
        ulong.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
}

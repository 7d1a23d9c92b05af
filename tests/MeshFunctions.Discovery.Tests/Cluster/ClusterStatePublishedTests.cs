using MeshFunctions.Discovery.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Discovery.Tests.Cluster;

/// <summary>
/// The lock-free lookups (published caller states and target candidates) against the same lookups computed under the
/// lock from the caches themselves, after every step of random change sequences.
/// </summary>
public sealed class ClusterStatePublishedTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 25)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FindCallerAndFindTarget_RandomChanges_EqualTheLockedComputation(int seed)
    {
        var cluster = new ClusterState(new FakeTimeProvider());
        var changes = new ClusterChanges(seed);
        for (var step = 0; step < 300; step++)
        {
            changes.Apply(cluster);
            foreach (var ip in ClusterChanges.Ips)
            {
                Assert.Equal(cluster.FindCallerLocked(ip), cluster.FindCaller(ip));
            }

            foreach (var name in ClusterChanges.Names.Append("WEB").Append("unknown"))
            {
                foreach (var callerNamespace in ClusterChanges.Namespaces.Append(null).Append("elsewhere"))
                {
                    Assert.Equal(cluster.FindTargetLocked(name, callerNamespace), cluster.FindTarget(name, callerNamespace));
                }
            }
        }
    }

    [Fact]
    public void FindTarget_UnrelatedChange_KeepsThePublishedObject()
    {
        var cluster = new ClusterState(new FakeTimeProvider());
        cluster.Upsert(ResourceKind.Router, "shop", "web", new RouterInfo(8080, false, 5));
        cluster.Upsert(ResourceKind.Service, "shop", "web", new ServiceInfo("10.96.0.1", [8080], 6));
        var before = cluster.FindTarget("web", "shop");

        cluster.Upsert(ResourceKind.Router, "shop", "api", new RouterInfo(8080, false, 7));
        cluster.Upsert(ResourceKind.Pod, "shop", "caller", new PodInfo("10.0.0.9", new Core.Discovery.CallerState("shop", "app", true, 8)));

        Assert.Same(before, cluster.FindTarget("web", "shop"));
        cluster.Upsert(ResourceKind.EndpointSlice, "shop", "web-1", new SliceInfo("web", 1, 9));
        Assert.Equal(1, cluster.FindTarget("web", "shop")!.ReadyEndpoints);
    }
}

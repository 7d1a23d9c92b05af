using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Cluster;

namespace MeshFunctions.Discovery.Tests.Cluster;

/// <summary>
/// Random Kubernetes changes for the model tests, seeded so a failure replays: pods (IP reuse, IP loss, mesh and legacy),
/// Routers (rolled back or not), Services (with and without a ClusterIP), EndpointSlices moving between Services, relists,
/// the switch ConfigMap and the state ConfigMap's floors, over a few namespaces and names so targets collide.
/// </summary>
internal sealed class ClusterChanges(int seed)
{
    public static readonly string[] Namespaces = ["shop", "pay", "ops"];
    public static readonly string[] Names = ["web", "api", "db"];
    public static readonly string[] Ips = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"];

    private readonly Random _random = new(seed);
    private ulong _version = 1;

    public Random Random => _random;

    /// <summary>Applies one random change to <paramref name="cluster"/>.</summary>
    public void Apply(ClusterState cluster)
    {
        var ns = Pick(Namespaces);
        var name = Pick(Names);
        switch (_random.Next(14))
        {
            case 0 or 1:
                cluster.Upsert(ResourceKind.Pod, ns, "pod-" + _random.Next(5), Pod(ns));
                break;
            case 2:
                cluster.Delete(ResourceKind.Pod, ns, "pod-" + _random.Next(5), Next());
                break;
            case 3 or 4:
                cluster.Upsert(ResourceKind.Router, ns, name, new RouterInfo(_random.Next(2) == 0 ? 8080 : 9090, _random.Next(4) == 0, Next()));
                break;
            case 5:
                cluster.Delete(ResourceKind.Router, ns, name, Next());
                break;
            case 6 or 7:
                cluster.Upsert(ResourceKind.Service, ns, name, new ServiceInfo(_random.Next(5) == 0 ? "None" : "10.96.0." + _random.Next(1, 9), _random.Next(2) == 0 ? [8080] : [9090, 8080], Next()));
                break;
            case 8:
                cluster.Delete(ResourceKind.Service, ns, name, Next());
                break;
            case 9 or 10:
                cluster.Upsert(ResourceKind.EndpointSlice, ns, "slice-" + _random.Next(4), new SliceInfo(name, _random.Next(3), Next()));
                break;
            case 11:
                cluster.Delete(ResourceKind.EndpointSlice, ns, "slice-" + _random.Next(4), Next());
                break;
            case 12:
                Relist(cluster, ns);
                break;
            default:
                if (_random.Next(3) == 0)
                {
                    cluster.Upsert(ResourceKind.State, "meshfunctions", "discovery-state", new FloorsInfo(new Dictionary<string, ulong> { [ns + "/" + name] = Next() + 5 }));
                }
                else if (_random.Next(2) == 0)
                {
                    cluster.Upsert(ResourceKind.Switch, "meshfunctions", "switch", new SwitchInfo(_random.Next(2) == 0, Next()));
                }
                else
                {
                    cluster.Delete(ResourceKind.Switch, "meshfunctions", "switch", Next());
                }

                break;
        }
    }

    private void Relist(ClusterState cluster, string ns)
    {
        var kind = Pick([ResourceKind.Pod, ResourceKind.Router, ResourceKind.Service, ResourceKind.EndpointSlice]);
        var items = new List<(string, string, object)>();
        for (var i = 0; i < _random.Next(3); i++)
        {
            var name = Pick(Names);
            object info = kind switch
            {
                ResourceKind.Pod => Pod(ns),
                ResourceKind.Router => new RouterInfo(8080, false, Next()),
                ResourceKind.Service => new ServiceInfo("10.96.1." + _random.Next(1, 9), [8080], Next()),
                _ => new SliceInfo(name, 1 + _random.Next(2), Next()),
            };
            items.Add((ns, kind switch { ResourceKind.Pod => "pod-" + i, ResourceKind.EndpointSlice => "slice-" + i, _ => name }, info));
        }

        cluster.Replace(kind, items, Next());
    }

    private PodInfo Pod(string ns) =>
        new(_random.Next(6) == 0 ? null : Pick(Ips), new CallerState(ns, _random.Next(4) == 0 ? string.Empty : "app", _random.Next(3) != 0, Next()));

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private ulong Next() => _version += (ulong)_random.Next(1, 3);
}

using System.Globalization;
using k8s;
using k8s.Models;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

/// <summary>Invariant: a watch from any retained resourceVersion replays exactly the later writes, in order.</summary>
public sealed class FakeKubernetesApiReplayTests : FakeKubernetesApiTestBase
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public async Task Watch_FromAnyResourceVersion_ReplaysExactlyTheLaterWrites(int seed)
    {
        var random = new Random(seed);
        var live = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            var name = "s" + random.Next(4).ToString(CultureInfo.InvariantCulture);
            if (!live.Contains(name))
            {
                await Client.CoreV1.CreateNamespacedServiceAsync(Service(name), "default");
                live.Add(name);
            }
            else if (random.Next(3) == 0)
            {
                await Client.CoreV1.DeleteNamespacedServiceAsync(name, "default");
                live.Remove(name);
            }
            else
            {
                var patch = "{\"metadata\":{\"labels\":{\"step\":\"" + i.ToString(CultureInfo.InvariantCulture) + "\"}}}";
                await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, "default");
            }
        }

        var writes = Api.Writes;
        foreach (var from in new[] { writes[0].ResourceVersion - 1, writes[writes.Count / 2].ResourceVersion, writes[^2].ResourceVersion })
        {
            var expected = writes.Where(w => w.ResourceVersion > from).Select(w => (Type(w.Verb), w.Name, w.ResourceVersion.ToString(CultureInfo.InvariantCulture))).ToList();

            var actual = await ReadAsync(from.ToString(CultureInfo.InvariantCulture), expected.Count);

            Assert.Equal(expected, actual);
        }
    }

    private static WatchEventType Type(KubeWriteVerb verb) => verb switch
    {
        KubeWriteVerb.Create => WatchEventType.Added,
        KubeWriteVerb.Delete => WatchEventType.Deleted,
        _ => WatchEventType.Modified,
    };

    private async Task<List<(WatchEventType, string, string)>> ReadAsync(string resourceVersion, int count)
    {
        using var cancel = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, string, string)>();
        await foreach (var (type, service) in Client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: resourceVersion, cancellationToken: cancel.Token))
        {
            events.Add((type, service.Metadata.Name, service.Metadata.ResourceVersion));
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}

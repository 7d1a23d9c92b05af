using MeshFunctions.Core.Events;
using MeshFunctions.Discovery.Events;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Discovery.Tests.Events;

/// <summary>Two replicas publishing <c>consul-events</c> to one queue: what they both report carries one id.</summary>
public sealed class ReplicaEventTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        _h = await DiscoveryHarness.StartAsync(
            consul => consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing)),
            replicas: 2,
            settings: new Dictionary<string, string?> { ["AzureWebJobsStorage"] = _azurite.ConnectionString });
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task ConsulEvents_TwoReplicasSameChange_SameEventIds()
    {
        var queue = _azurite.CreateQueueServiceClient().GetQueueClient(MeshEventQueues.ConsulEvents);
        // Both replicas announce every service at start (consul and web): four events, two ids.
        var initial = await EventTests.ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 4);
        _h.Consul.RegisterService("haproxy-9", "10.0.0.9", "api", ["v2"], 9000);
        var appeared = await EventTests.ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 2);

        Assert.Equal(["consul", "web"], initial.GroupBy(e => e.Id).Select(g => Assert.Single(g.Select(e => e.Data.Service).Distinct())).Order());
        Assert.All(initial.GroupBy(e => e.Id), g => Assert.Equal(2, g.Count()));
        Assert.Single(appeared.Select(e => e.Id).Distinct());
        Assert.All(appeared, e => Assert.Equal(("api", ConsulServiceChange.Appeared), (e.Data.Service, e.Data.Change)));
    }

    [Fact]
    public void EventId_OtherIndexOrTags_OtherId()
    {
        var id = ConsulEventPublisher.EventId("dc1", "web", ConsulServiceChange.Changed, 42, ["b", "a"]);

        Assert.Equal(id, ConsulEventPublisher.EventId("dc1", "web", ConsulServiceChange.Changed, 42, ["a", "b"]));
        Assert.NotEqual(id, ConsulEventPublisher.EventId("dc1", "web", ConsulServiceChange.Changed, 43, ["a", "b"]));
        Assert.NotEqual(id, ConsulEventPublisher.EventId("dc1", "web", ConsulServiceChange.Changed, 42, ["a"]));
        Assert.NotEqual(id, ConsulEventPublisher.EventId("dc2", "web", ConsulServiceChange.Changed, 42, ["a", "b"]));
    }
}

using Azure.Storage.Queues;
using MeshFunctions.Core.Events;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Discovery.Tests.Events;

/// <summary><c>consul-events</c> and <c>dependency-events</c> on a private Azurite, decoded with core's codec as the functions do.</summary>
public sealed class EventTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private AzuriteServer _azurite = null!;
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        _h = await DiscoveryHarness.StartAsync(
            consul =>
            {
                consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
                consul.RegisterService("haproxy-3", "10.0.0.7", "db", ["primary"], 5432, new ConsulCheck(ConsulHealth.Passing));
            },
            settings: new Dictionary<string, string?> { ["AzureWebJobsStorage"] = _azurite.ConnectionString });
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true, app: "checkout");
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false, app: "legacy");
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task ConsulEvents_StartThenAppearChangeDisappear_OneEventEach()
    {
        var queue = _azurite.CreateQueueServiceClient().GetQueueClient(MeshEventQueues.ConsulEvents);
        var initial = await ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 3);
        Assert.Equal(["consul", "db", "web"], initial.Select(e => e.Data.Service).Order());
        Assert.All(initial, e => Assert.Equal(ConsulServiceChange.Appeared, e.Data.Change));

        _h.Consul.RegisterService("haproxy-9", "10.0.0.9", "api", ["v2"], 9000);
        var appeared = Assert.Single(await ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 1));
        _h.Consul.RegisterService("haproxy-9", "10.0.0.9", "api", ["v3"], 9000);
        var changed = Assert.Single(await ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 1));
        _h.Consul.DeregisterService("haproxy-9", "api");
        var gone = Assert.Single(await ReceiveAsync<ConsulServiceEvent>(queue, MeshEventTypes.ConsulService, 1));

        Assert.Equal(("api", "dc1", ConsulServiceChange.Appeared), (appeared.Data.Service, appeared.Data.Datacenter, appeared.Data.Change));
        Assert.Equal(["v2"], appeared.Data.Tags);
        Assert.Equal(ConsulServiceChange.Changed, changed.Data.Change);
        Assert.Equal(["v3"], changed.Data.Tags);
        Assert.Equal(ConsulServiceChange.Disappeared, gone.Data.Change);
        Assert.True(gone.Data.ConsulIndex > changed.Data.ConsulIndex && changed.Data.ConsulIndex > appeared.Data.ConsulIndex);
    }

    [Fact]
    public async Task DependencyEvents_MeshCallerAsksTwiceLegacyCallerAsks_OneEvent()
    {
        var queue = _azurite.CreateQueueServiceClient().GetQueueClient(MeshEventQueues.DependencyEvents);
        using var mesh = _h.ClientFrom(MeshCaller);
        using var legacy = _h.ClientFrom(LegacyCaller);
        await DiscoveryHarness.Until(async () => (await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web")).CatalogAddresses() is ["10.96.0.10:8080"], "mesh answer");
        await ConsulReply.GetAsync(mesh, "/v1/health/service/web");
        await ConsulReply.GetAsync(mesh, "/v1/catalog/service/web");
        await ConsulReply.GetAsync(legacy, "/v1/catalog/service/web");

        // A marker: a second target asked afterwards. Events leave one at a time in the order they were raised, so
        // once the marker's event is in the queue any duplicate of the first would be there before it.
        _h.SeedMeshTarget("db", "10.96.0.11", 5432);
        await _h.WaitForCatalogAsync(MeshCaller, "db", "10.96.0.11:5432");
        var events = new List<MeshEvent<DependencyEvent>>();
        while (!events.Any(e => e.Data.TargetService == "db"))
        {
            events.AddRange(await ReceiveAsync<DependencyEvent>(queue, MeshEventTypes.Dependency, 1));
        }

        Assert.Equal(
            [new DependencyEvent(DiscoveryHarness.Ns, "checkout", DiscoveryHarness.Ns, "web"), new DependencyEvent(DiscoveryHarness.Ns, "checkout", DiscoveryHarness.Ns, "db")],
            events.Select(e => e.Data));
    }

    internal static async Task<List<MeshEvent<T>>> ReceiveAsync<T>(QueueClient queue, string type, int count)
    {
        var events = new List<MeshEvent<T>>();
        using var cts = new CancellationTokenSource(DiscoveryHarness.Patience);
        while (events.Count < count)
        {
            cts.Token.ThrowIfCancellationRequested();
            if (!(await queue.ExistsAsync(cts.Token)).Value)
            {
                await Task.Delay(100, cts.Token);
                continue;
            }

            foreach (var message in (await queue.ReceiveMessagesAsync(32, cancellationToken: cts.Token)).Value)
            {
                events.Add(MeshEventCodec.Decode<T>(message.Body.ToMemory(), type));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cts.Token);
            }

            if (events.Count < count)
            {
                await Task.Delay(100, cts.Token);
            }
        }

        return events;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Planning;
using MeshFunctions.Functions.Functions;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Functions.Host;
using MeshFunctions.TestKit.Kubernetes;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// The functions app on its own Azurite (the queue names are fixed, so each test gets a private queue service) and a
/// Kubernetes API stand-in, hosted by the test kit's Functions harness. Several hosts on the same queues act as
/// several instances.
/// </summary>
internal sealed class MeshApp : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>The canary as deploy events, in order: deploy v1, deploy v2, 90/10, 50/50, promote v2, retire v1.</summary>
    public static readonly (DeployAction Action, string? Version, Dictionary<string, int>? Weights)[] Canary =
    [
        (DeployAction.Deployed, "v1", null),
        (DeployAction.Deployed, "v2", null),
        (DeployAction.Weighted, null, new() { ["v1"] = 90, ["v2"] = 10 }),
        (DeployAction.Weighted, null, new() { ["v1"] = 50, ["v2"] = 50 }),
        (DeployAction.Promoted, "v2", null),
        (DeployAction.Deleted, "v1", null),
    ];

    private static readonly Uri Source = new("/tests/ci", UriKind.Relative);
    private readonly List<FunctionsHost> _hosts = [];
    private readonly Dictionary<string, string?> _settings;

    private MeshApp(AzuriteServer azurite, FakeKubernetesApi api, Dictionary<string, string?> overrides)
    {
        Azurite = azurite;
        Api = api;
        Queues = azurite.CreateQueueServiceClient();
        _settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Kubernetes:Host"] = api.Url,
            ["MeshFunctions:PropagationDelay"] = "00:00:01",
            ["MeshFunctions:DeferDelay"] = "00:00:01",
            ["MeshFunctions:KubeRetryDelay"] = "00:00:00.020",
            ["MeshFunctions:LeaseDuration"] = "00:00:30",
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public AzuriteServer Azurite { get; }

    public FakeKubernetesApi Api { get; }

    public QueueServiceClient Queues { get; }

    public IReadOnlyList<FunctionsHost> Hosts => _hosts;

    /// <summary>The app settings every instance gets (also what a host stand-in passes to a worker process).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public static async Task<MeshApp> StartAsync(Dictionary<string, string?>? settings = null, bool persistentQueues = false, FakeKubernetesApiOptions? apiOptions = null)
    {
        var azurite = persistentQueues ? await AzuriteServer.StartPersistentAsync() : await AzuriteServer.StartPrivateAsync();
        var api = await FakeKubernetesApi.StartAsync(apiOptions);
        var app = new MeshApp(azurite, api, settings ?? []);
        foreach (var queue in MeshEventQueues.All)
        {
            await app.Queues.GetQueueClient(queue).CreateIfNotExistsAsync();
        }

        return app;
    }

    /// <summary>Changes settings for the instances started from now on.</summary>
    public void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>Starts one more instance of the app (a Functions host on the same queues), optionally with setting overrides.</summary>
    public async Task<FunctionsHost> AddHostAsync(int concurrency = 1, Dictionary<string, string?>? settings = null)
    {
        var effective = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in settings ?? [])
        {
            effective[key] = value;
        }

        // Queue polling as the app's host.json sets it for the host (the retry delay stays 1 s to keep tests short).
        var hostJson = HostQueueSettings.Read(Path.Combine(MeshWorker.AppDirectory, "host.json"), effective);
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppAssembly = typeof(DeployEventsFunction).Assembly,
            Settings = effective,
            ConfigureServices = (services, configuration) => services.AddMeshFunctions(configuration),
            Concurrency = concurrency,
            VisibilityTimeout = TimeSpan.FromSeconds(1),
            MaxDequeueCount = hostJson.MaxDequeueCount,
            BatchSize = hostJson.BatchSize,
            MaxPollingInterval = hostJson.MaxPollingInterval,
        });
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops one instance (its in-flight work is abandoned, as when a pod dies).</summary>
    public async Task StopHostAsync(FunctionsHost host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    /// <summary>Runs every instance until all queues are empty, continuations included.</summary>
    public async Task RunUntilIdleAsync()
    {
        await Task.WhenAll(_hosts.Select(h => h.RunUntilIdleAsync(Patience)));

        // One instance may go idle while another enqueued a continuation: settle with a final pass.
        await _hosts[0].RunUntilIdleAsync(Patience);
    }

    public static MeshEvent<DeployEvent> Deploy(long sequence, DeployAction action, string? version = null, Dictionary<string, int>? weights = null, string branch = "master", string service = "checkout") =>
        new("deploy-" + service + "-" + sequence.ToString(CultureInfo.InvariantCulture), Source, MeshEventTypes.Deploy, DateTimeOffset.UtcNow, "shop/" + service,
            new DeployEvent("shop", service, branch, action, version, weights, sequence, 8080));

    public Task SendAsync<T>(string queue, MeshEvent<T> meshEvent, TimeSpan? delay = null) =>
        Queues.GetQueueClient(queue).SendMessageAsync(BinaryData.FromBytes(MeshEventCodec.Encode(meshEvent)), visibilityTimeout: delay);

    public async Task DeployAsync(long sequence, DeployAction action, string? version = null, Dictionary<string, int>? weights = null, string branch = "master")
    {
        await SendAsync(MeshEventQueues.DeployEvents, Deploy(sequence, action, version, weights, branch));
        await RunUntilIdleAsync();
    }

    public Task ConfigChangedAsync(string kind, string name, string operation) =>
        SendAsync(MeshEventQueues.MeshConfigEvents, new MeshEvent<MeshConfigEvent>(Guid.NewGuid().ToString("N"), Source, MeshEventTypes.MeshConfig, DateTimeOffset.UtcNow, "shop/" + name,
            new MeshConfigEvent(kind, "shop", name, operation, null)));

    /// <summary>The object as the last write left it (null when never written or deleted).</summary>
    public JsonObject? Get(string plural, string ns, string name) =>
        Api.Writes.LastOrDefault(w => w.Type.Plural == plural && w.Namespace == ns && w.Name == name) is { } last && last.Verb != KubeWriteVerb.Delete
            ? last.Object
            : null;

    /// <summary>The Router's condition status and reason.</summary>
    public (string? Status, string? Reason, string? Message) Condition(string type, string name = "checkout")
    {
        var condition = Get("routers", "shop", name)?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        return ((string?)condition?["status"], (string?)condition?["reason"], (string?)condition?["message"]);
    }

    /// <summary>The master route's weights by subset, from the live VirtualService.</summary>
    public Dictionary<string, int> MasterWeights(string service = "checkout")
    {
        var vs = Get("virtualservices", "shop", service) ?? throw new InvalidOperationException("no VirtualService");
        var route = vs["spec"]!["http"]!.AsArray().OfType<JsonObject>().Last();
        return route["route"]!.AsArray().OfType<JsonObject>()
            .ToDictionary(d => (string)d["destination"]!["subset"]!, d => (int?)d["weight"] ?? 100);
    }

    public List<string> Subsets(string ns, string name) =>
        Get("destinationrules", ns, name)?["spec"]?["subsets"]?.AsArray().Select(s => (string)s!["name"]!).ToList() ?? [];

    /// <summary>
    /// Replays every write in commit order and fails at the first moment a VirtualService routed to a subset that its
    /// DestinationRule (or a missing one) did not define. With <paramref name="family"/> (objects that can refer to each
    /// other share a family, e.g. one service's VirtualService and DestinationRules), each write is checked against its
    /// family only, which keeps the replay linear for large runs.
    /// </summary>
    public void AssertNoMissingSubsetEver(Func<KubeWrite, string>? family = null)
    {
        var families = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var state = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var checkedWrites = 0;
        foreach (var write in Api.Writes)
        {
            if (write.Verb == KubeWriteVerb.Delete)
            {
                state.Remove(write.Key);
            }
            else
            {
                state[write.Key] = write.Object;
            }

            if (write.Type.Plural is not ("virtualservices" or "destinationrules"))
            {
                continue;
            }

            checkedWrites++;
            IEnumerable<JsonObject> scope = state.Values;
            if (family is not null)
            {
                var members = families.TryGetValue(family(write), out var known) ? known : families[family(write)] = [];
                members.Add(write.Key);
                scope = members.Where(state.ContainsKey).Select(k => state[k]);
            }

            var istio = scope.Where(o => o["kind"]?.GetValue<string>() is "VirtualService" or "DestinationRule").ToList();
            var missing = SubsetReferences.FindMissing(istio);
            Assert.True(missing.Count == 0, $"after write {write}: {string.Join("; ", missing.Select(m => m.ToDiagnostic().ToString()))}");
        }

        Assert.True(checkedWrites > 0, "no VirtualService or DestinationRule was ever written");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Api.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

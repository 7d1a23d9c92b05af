using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Webhooks.Cache;

/// <summary>
/// The live state the validating rules read: VirtualServices, DestinationRules, Routers, Services and Namespaces, each a
/// <see cref="ResourceInformer"/>. Ready (<c>/readyz</c>) once every informer has listed once. A DestinationRule the
/// cache does not hold yet (created a moment ago) is looked for with a direct read before a VirtualService is denied.
/// </summary>
internal sealed partial class ClusterCache : BackgroundService
{
    private readonly IKubernetes _client;
    private readonly ILogger<ClusterCache> _logger;

    public ClusterCache(IKubernetes client, TimeProvider time, Microsoft.Extensions.Options.IOptions<WebhookOptions> options, ILogger<ClusterCache> logger)
    {
        _client = client;
        _logger = logger;
        var timeout = options.Value.WatchTimeoutSeconds;
        VirtualServices = new ResourceInformer(KubernetesSources.Custom(client, "networking.istio.io", "v1", "virtualservices", timeout), time, logger);
        DestinationRules = new ResourceInformer(KubernetesSources.Custom(client, "networking.istio.io", "v1", "destinationrules", timeout), time, logger);
        Routers = new ResourceInformer(KubernetesSources.Custom(client, Router.Group, "v1", "routers", timeout), time, logger);
        Services = new ResourceInformer(KubernetesSources.Services(client, timeout), time, logger);
        Namespaces = new ResourceInformer(KubernetesSources.Namespaces(client, timeout), time, logger);
        All = [VirtualServices, DestinationRules, Routers, Services, Namespaces];
    }

    public ResourceInformer VirtualServices { get; }

    public ResourceInformer DestinationRules { get; }

    public ResourceInformer Routers { get; }

    public ResourceInformer Services { get; }

    public ResourceInformer Namespaces { get; }

    public IReadOnlyList<ResourceInformer> All { get; }

    public bool IsSynced => All.All(i => i.IsSynced);

    /// <summary>
    /// Reads the DestinationRules of <paramref name="namespaces"/> straight from the API server and adds them to the cache
    /// (a miss: the watch may not have delivered a rule created just before this request). Returns how many were found.
    /// </summary>
    public async Task<int> ReadDestinationRulesAsync(IEnumerable<string> namespaces, CancellationToken ct)
    {
        var found = 0;
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            try
            {
                using var response = await _client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                    "networking.istio.io", "v1", ns, "destinationrules", cancellationToken: ct).ConfigureAwait(false);
                foreach (var dr in (response.Body["items"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    dr["apiVersion"] ??= "networking.istio.io/v1";
                    dr["kind"] ??= "DestinationRule";
                    DestinationRules.Upsert(dr);
                    found++;
                }
            }
            catch (HttpOperationException ex)
            {
                Log.DirectReadFailed(_logger, ns, ex.Message);
            }
        }

        return found;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(All.Select(i => Task.Run(() => i.RunAsync(stoppingToken), stoppingToken)));

    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Direct read of DestinationRules in {Namespace} failed: {Reason}")]
        public static partial void DirectReadFailed(ILogger logger, string @namespace, string reason);
    }
}

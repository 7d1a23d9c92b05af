using Azure.Storage.Queues;
using k8s;
using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Cluster;
using MeshFunctions.Discovery.Dns;
using MeshFunctions.Discovery.Events;
using MeshFunctions.Discovery.Http;
using MeshFunctions.Discovery.Observability;
using MeshFunctions.Discovery.Upstream;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MeshFunctions.Discovery;

/// <summary>Registers Discovery; every part uses TryAdd so tests can replace it.</summary>
public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>Adds options (validated at start), the upstream client and views, the Kubernetes caches and watcher, the answer rule, metrics and health checks.</summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscoveryOptions>().Bind(configuration.GetSection(DiscoveryOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscoveryOptions>, DiscoveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new DiscoveryMetrics(Metrics.NewCustomRegistry()));
        services.AddHttpClient<ConsulUpstreamClient>();
        services.TryAddSingleton<UpstreamViewCache>();
        services.TryAddSingleton<ClusterState>();
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DiscoveryOptions>>().Value;
            var config = string.IsNullOrEmpty(options.Kubeconfig)
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubeconfigFile.Load(options.Kubeconfig);
            return new Kubernetes(config);
        });
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.SectionName));
        var storage = configuration["AzureWebJobsStorage"];
        var events = configuration.GetSection(EventOptions.SectionName).GetValue(nameof(EventOptions.Enabled), true) && !string.IsNullOrEmpty(storage);
        if (events)
        {
            // Azurite and Azure both accept this pinned version; base64 is what the Functions queue trigger decodes.
            services.TryAddSingleton(_ => new QueueServiceClient(storage, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 }));
            services.TryAddSingleton<EventSender>();
            services.AddHostedService(sp => sp.GetRequiredService<EventSender>());
            services.TryAddSingleton<IMeshAnswerObserver, DependencyPublisher>();
            services.AddHostedService<ConsulEventPublisher>();
        }

        services.TryAddSingleton<IMeshAnswerObserver, NoMeshAnswerObserver>();
        services.TryAddSingleton<DeadlineWheel>();
        services.TryAddSingleton<AnswerService>();
        services.TryAddSingleton<ConsulApi>();
        services.TryAddSingleton<WatchConnections>();
        services.AddHostedService<KubernetesWatcher>();
        services.AddHostedService<FloorWriter>();
        services.TryAddSingleton<DnsService>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsService>());
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024;
            o.EnableDetailedErrors = false;
        });
        services.AddHealthChecks().AddCheck<ReadinessCheck>("kubernetes-synced", tags: ["ready"]);
        return services;
    }
}

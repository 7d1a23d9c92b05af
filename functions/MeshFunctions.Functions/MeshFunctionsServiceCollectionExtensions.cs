using Azure.Storage.Queues;
using k8s;
using MeshFunctions.Functions.Kubernetes;
using MeshFunctions.Functions.Outcomes;
using MeshFunctions.Functions.Queues;
using MeshFunctions.Functions.Reconciliation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions;

/// <summary>Registers the reconcilers; Program.cs and the test hosts call the same method.</summary>
public static class MeshFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the options (section <c>MeshFunctions</c>, validated at start), the Kubernetes client (<see cref="KubeConnectionOptions"/>,
    /// validated at start), the base64 queue client for continuations (<c>AzureWebJobsStorage</c>),
    /// the outcome publisher (Service Bus when <c>MeshFunctions:OutcomesServiceBus</c> is set, else the Storage Queue) and the handlers. Every registration is TryAdd, so tests can replace parts.
    /// </summary>
    public static IServiceCollection AddMeshFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconcilerOptions>().Bind(configuration.GetSection(ReconcilerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconcilerOptions>, ReconcilerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KubeConnectionOptions>().Bind(configuration.GetSection(KubeConnectionOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubeConnectionOptions>, KubeConnectionOptionsValidator>());
        services.TryAddSingleton<IKubernetes>(sp => new k8s.Kubernetes(sp.GetRequiredService<IOptions<KubeConnectionOptions>>().Value.ToClientConfiguration()));
        services.TryAddSingleton(sp =>
        {
            var connection = configuration["AzureWebJobsStorage"] ?? throw new InvalidOperationException("AzureWebJobsStorage is not configured.");

            // The queue trigger decodes base64 (host.json), so what we enqueue must be base64 too. 2026-06-06 is the
            // newest service version Azurite 3.37 accepts; Azure accepts it as well.
            var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
            return new QueueServiceClient(connection, options);
        });
        services.TryAddSingleton(sp => new KubeObjects(
            sp.GetRequiredService<IKubernetes>(),
            KubeResilience.Build(sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value, sp.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton<EventQueue>();
        services.TryAddSingleton<WorkloadEgress>();
        services.TryAddSingleton<RenderedObjectCache>();
        services.TryAddSingleton<RlsConfigState>();
        services.TryAddSingleton<QueueOutcomePublisher>();
        services.TryAddSingleton<ServiceBusOutcomePublisher>();
        services.TryAddSingleton<IOutcomePublisher>(sp => sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value.OutcomesServiceBus is { } bus && !string.IsNullOrWhiteSpace(bus)
            ? sp.GetRequiredService<ServiceBusOutcomePublisher>()
            : sp.GetRequiredService<QueueOutcomePublisher>());
        services.TryAddScoped<MeshStateReader>();
        services.TryAddScoped<RouterReconciler>();
        services.TryAddScoped<FailureReporter>();
        services.TryAddScoped<EventRunner>();
        services.TryAddScoped<DeployHandler>();
        services.TryAddScoped<ConsulHandler>();
        services.TryAddScoped<MeshConfigHandler>();
        services.TryAddScoped<DependencyHandler>();
        return services;
    }
}

using k8s;
using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Cache;
using MeshFunctions.Webhooks.Events;
using MeshFunctions.Webhooks.Http;
using MeshFunctions.Webhooks.Observability;
using MeshFunctions.Webhooks.Rules;
using MeshFunctions.Webhooks.Sidecars;
using MeshFunctions.Webhooks.Tls;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MeshFunctions.Webhooks;

/// <summary>Composition of the webhook server; every part is registered with TryAdd so tests can replace it.</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Kestrel HTTPS on <see cref="WebhookOptions.Port"/> with the hot-reloaded certificate, plus <see cref="AddWebhooks"/>.</summary>
    public static WebApplicationBuilder AddWebhookServer(this WebApplicationBuilder builder)
    {
        builder.Services.AddWebhooks(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = new WebhookOptions();
            builder.Configuration.GetSection(WebhookOptions.SectionName).Bind(options);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes * 4;
            kestrel.Listen(System.Net.IPAddress.Parse(options.ListenAddress), options.Port, listen =>
                listen.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, _) => kestrel.ApplicationServices.GetRequiredService<ServingCertificate>().Current;
                    https.HandshakeTimeout = options.TlsHandshakeTimeout;
                }));
        });
        return builder;
    }

    /// <summary>Options (validated at start), Kubernetes client, cache, rules, event sink, default-Sidecar writer, metrics.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .PostConfigure(o => o.EventsConnectionString ??= configuration["AzureWebJobsStorage"])
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var path = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Kubeconfig;
            return new Kubernetes(string.IsNullOrEmpty(path) ? KubernetesClientConfiguration.InClusterConfig() : KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        });
        services.TryAddSingleton<ServingCertificate>();
        services.TryAddSingleton<ClusterCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterCache>());
        services.TryAddSingleton<DefaultSidecarWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DefaultSidecarWriter>());
        services.TryAddSingleton<IMeshConfigEventSink>(sp =>
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.PublishEvents ? sp.GetRequiredService<QueueMeshConfigEventSink>() : new NoMeshConfigEventSink());
        services.TryAddSingleton<QueueMeshConfigEventSink>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IMeshConfigEventSink>() as IHostedService ?? new NoOpHostedService());
        services.TryAddSingleton(sp => new WorkloadMutator(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Injection));
        services.TryAddSingleton<RouterCatalog>();
        services.TryAddSingleton(_ => new WebhookMetrics(Metrics.NewCustomRegistry()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAdmissionWebhook, WorkloadWebhook>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAdmissionWebhook, NamespaceWebhook>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAdmissionWebhook, SubsetWebhook>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAdmissionWebhook, ResourceWebhook>());
        return services;
    }

    /// <summary>
    /// <c>POST /mutate</c>, <c>/mutate/workloads</c>, <c>/mutate/namespaces</c>, <c>/validate</c>, <c>/validate/subsets</c>,
    /// <c>/validate/resources</c>; <c>GET /healthz</c> (live), <c>/readyz</c> (cache synced), <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapWebhooks(this WebApplication app)
    {
        var sp = app.Services;
        var hooks = sp.GetServices<IAdmissionWebhook>().ToList();
        var metrics = sp.GetRequiredService<WebhookMetrics>();
        var cache = sp.GetRequiredService<ClusterCache>();
        metrics.TrackCache(cache, sp.GetRequiredService<TimeProvider>());
        void Map(string path, IAdmissionWebhook hook)
        {
            var endpoint = ActivatorUtilities.CreateInstance<AdmissionEndpoint>(sp, hook);
            app.MapPost(path, endpoint.HandleAsync);
        }

        foreach (var hook in hooks)
        {
            Map((hook.Mutating ? "/mutate/" : "/validate/") + hook.Name, hook);
        }

        Map("/mutate", new CompositeWebhook("mutate", mutating: true, hooks.Where(h => h.Mutating).ToList()));
        Map("/validate", new CompositeWebhook("validate", mutating: false, hooks.Where(h => !h.Mutating).ToList()));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => cache.IsSynced
            ? Results.Text("ok\n")
            : Results.Text("cache not synced: " + string.Join(", ", cache.All.Where(i => !i.IsSynced).Select(i => i.Name)) + "\n", statusCode: 503));
        app.MapMetrics("/metrics", metrics.Registry);
        _ = sp.GetRequiredService<ServingCertificate>();
        return app;
    }

    private sealed class NoOpHostedService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Http;
using MeshFunctions.Rls.Limiting;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MeshFunctions.Rls;

/// <summary>Registers the Rate Limit Service; every part uses TryAdd so tests can replace it.</summary>
public static class RlsServiceCollectionExtensions
{
    /// <summary>Adds options (validated at start), config store and watcher, backend, engine, gRPC, metrics and health checks.</summary>
    public static IServiceCollection AddRateLimitService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RlsOptions>().Bind(configuration.GetSection(RlsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RlsOptions>, RlsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new RlsMetrics(Metrics.NewCustomRegistry()));
        services.TryAddSingleton<RuleSetStore>();
        services.TryAddSingleton<RateLimitEngine>();
        services.TryAddSingleton<IRateLimitBackend>(sp => sp.GetRequiredService<IOptions<RlsOptions>>().Value.Backend == RlsBackendKind.Redis
            ? ActivatorUtilities.CreateInstance<RedisBackend>(sp)
            : ActivatorUtilities.CreateInstance<InProcessBackend>(sp));
        services.AddHostedService<ConfigWatcher>();
        services.TryAddSingleton<BackendWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<BackendWarmup>());
        services.AddGrpc(o =>
        {
            var max = configuration.GetSection(RlsOptions.SectionName).GetValue<int?>(nameof(RlsOptions.MaxRequestBytes)) ?? new RlsOptions().MaxRequestBytes;
            o.MaxReceiveMessageSize = max;
            o.EnableDetailedErrors = false;
        });
        services.AddHealthChecks()
            .AddCheck<ConfigHealthCheck>("config")
            .AddCheck<WarmupHealthCheck>("warmup")
            .AddCheck<RedisHealthCheck>("redis");

        // grpc.health.v1.Health on the gRPC port reports the same checks: SERVING once none is Unhealthy.
        services.AddGrpcHealthChecks();
        return services;
    }
}

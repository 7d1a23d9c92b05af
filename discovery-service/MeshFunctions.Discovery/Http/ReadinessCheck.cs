using MeshFunctions.Discovery.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshFunctions.Discovery.Http;

/// <summary>Ready once every Kubernetes cache has been listed: before that, callers cannot be told apart.</summary>
internal sealed class ReadinessCheck(ClusterState cluster) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cluster.Synced
            ? HealthCheckResult.Healthy("Kubernetes caches synced")
            : HealthCheckResult.Unhealthy("Kubernetes caches not listed yet"));
}

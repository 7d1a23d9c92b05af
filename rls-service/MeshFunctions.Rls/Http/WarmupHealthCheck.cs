using MeshFunctions.Rls.Backends;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshFunctions.Rls.Http;

/// <summary>Unhealthy (not ready) until the backend has been warmed: connected, script loaded, check path run.</summary>
internal sealed class WarmupHealthCheck : IHealthCheck
{
    private readonly BackendWarmup _warmup;

    public WarmupHealthCheck(BackendWarmup warmup) => _warmup = warmup;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_warmup.IsWarm
            ? HealthCheckResult.Healthy("backend warm")
            : HealthCheckResult.Unhealthy("backend warming up (connection, script, first calls)"));
}

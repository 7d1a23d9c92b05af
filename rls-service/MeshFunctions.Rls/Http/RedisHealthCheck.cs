using MeshFunctions.Rls.Backends;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Http;

/// <summary>Unhealthy (or degraded, by configuration) while the Redis circuit is open; degraded while Redis is stalled.</summary>
internal sealed class RedisHealthCheck : IHealthCheck
{
    private readonly IRateLimitBackend _backend;
    private readonly RlsOptions _options;

    public RedisHealthCheck(IRateLimitBackend backend, IOptions<RlsOptions> options)
    {
        _backend = backend;
        _options = options.Value;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_backend is RedisBackend { BreakerOpen: true })
        {
            const string Message = "Redis circuit open: answering with the configured failure mode";
            return Task.FromResult(_options.UnhealthyOnRedisBreakerOpen ? HealthCheckResult.Unhealthy(Message) : HealthCheckResult.Degraded(Message));
        }

        if (_backend is RedisBackend { Stalled: true })
        {
            // Often a passing hiccup (the next reply clears it), so it does not fail readiness.
            return Task.FromResult(HealthCheckResult.Degraded("Redis has not answered a call within RedisTimeout: answering with the failure mode until it does"));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}

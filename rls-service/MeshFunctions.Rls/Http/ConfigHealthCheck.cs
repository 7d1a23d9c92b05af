using MeshFunctions.Rls.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Http;

/// <summary>
/// Unhealthy while no config is loaded, or (when configured) while the last load failed, or (with
/// <see cref="RlsOptions.HealthyWithAtLeastOneConfigLoaded"/>) until a load has succeeded.
/// </summary>
internal sealed class ConfigHealthCheck : IHealthCheck
{
    private readonly RuleSetStore _store;
    private readonly RlsOptions _options;

    public ConfigHealthCheck(RuleSetStore store, IOptions<RlsOptions> options)
    {
        _store = store;
        _options = options.Value;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_store.Current is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("no rate limit configuration loaded: " + string.Join("; ", _store.LastErrors)));
        }

        if (_options.HealthyWithAtLeastOneConfigLoaded && _store.Generation == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                "no rate limit configuration has loaded yet (started empty; HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED): " + string.Join("; ", _store.LastErrors)));
        }

        if (_store.LastErrors.Count > 0)
        {
            var message = "last config load failed (previous config in force): " + string.Join("; ", _store.LastErrors);
            return Task.FromResult(_options.UnhealthyOnConfigError ? HealthCheckResult.Unhealthy(message) : HealthCheckResult.Degraded(message));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"config generation {_store.Generation}"));
    }
}

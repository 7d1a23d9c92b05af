namespace MeshFunctions.Rls.Backends;

/// <summary>Creates the backend (and so the Redis connection) before the server listens, not on the first call.</summary>
internal sealed class BackendWarmup : IHostedService
{
    private readonly IServiceProvider _services;

    public BackendWarmup(IServiceProvider services) => _services = services;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetRequiredService<IRateLimitBackend>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

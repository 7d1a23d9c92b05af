namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Creates the backend (and so the Redis connection) before the server listens, then warms it in the background
/// (<see cref="IRateLimitBackend.WarmAsync"/>) until it answers; <see cref="IsWarm"/> feeds readiness (<c>/healthz</c>
/// and gRPC health), so Envoy sends no call that would meet a cold connection, an unloaded script or unjitted code.
/// Retries use real time on purpose: a test's fake clock must not stall start-up.
/// </summary>
internal sealed partial class BackendWarmup : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly IServiceProvider _services;
    private readonly ILogger<BackendWarmup> _logger;
    private volatile bool _warm;

    public BackendWarmup(IServiceProvider services, ILogger<BackendWarmup> logger)
    {
        _services = services;
        _logger = logger;
    }

    public bool IsWarm => _warm;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetRequiredService<IRateLimitBackend>();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backend = _services.GetRequiredService<IRateLimitBackend>();
        var attempts = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            attempts++;
            try
            {
                if (await backend.WarmAsync(stoppingToken).ConfigureAwait(false))
                {
                    _warm = true;
                    Log.Warm(_logger, attempts);
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever the store throws, readiness stays false and warm-up retries; the host keeps running.
                Log.NotYet(_logger, ex);
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Rate limit backend warm after {Attempts} attempt(s); ready")]
        public static partial void Warm(ILogger logger, int attempts);

        [LoggerMessage(31, LogLevel.Warning, "Rate limit backend not warm yet")]
        public static partial void NotYet(ILogger logger, Exception exception);
    }
}

using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>
/// The real service (RlsApplication.Build) on loopback ports, with a real Grpc.Net.Client channel
/// over HTTP/2 cleartext and an HttpClient for the HTTP port.
/// </summary>
public sealed class RlsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RlsHost(WebApplication app, int grpcPort, int httpPort, int debugPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        DebugPort = debugPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxSendMessageSize = 32 * 1024 * 1024 });
        Client = new RateLimitService.RateLimitServiceClient(Channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    /// <summary>Setting that, when "false", returns from <see cref="StartAsync"/> without waiting for the backend to be warm.</summary>
    public const string WaitWarmSetting = "Test:WaitWarm";

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public int DebugPort { get; }

    public GrpcChannel Channel { get; }

    public RateLimitService.RateLimitServiceClient Client { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the service with <paramref name="settings"/> over the test defaults; <paramref name="environment"/> stands in
    /// for the process environment (envoyproxy/ratelimit's variables), empty by default so the machine's own does not leak in.
    /// </summary>
    public static async Task<RlsHost> StartAsync(string configDirectory, IDictionary<string, string?>? settings = null, TimeProvider? time = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        // A free port found by binding port 0 can be taken by another process (a parallel test
        // project's redis-server, say) before Kestrel binds it; pick new ports and try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(configDirectory, settings, time, environment);
            }
            catch (IOException ex) when (attempt < 5 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<RlsHost> TryStartAsync(string configDirectory, IDictionary<string, string?>? settings, TimeProvider? time, IReadOnlyDictionary<string, string>? environment)
    {
        var grpc = Ports.Free();
        var http = Ports.Free();
        var debug = Ports.Free();
        var values = new Dictionary<string, string?>
        {
            ["Rls:ConfigDirectory"] = configDirectory,
            ["Rls:GrpcPort"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rls:HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rls:DebugPort"] = debug.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rls:LoopbackOnly"] = "true",
            ["Rls:ConfigPollInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var app = MeshFunctions.Rls.RlsApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        }, environment ?? new Dictionary<string, string>());
        try
        {
            await app.StartAsync();
            if (values.GetValueOrDefault(WaitWarmSetting) != "false")
            {
                // Tests start from a warm backend, as Envoy would (it sends nothing before readiness); the warm-up's
                // own script calls are then done before a test reads metrics.
                var warmup = app.Services.GetRequiredService<MeshFunctions.Rls.Backends.BackendWarmup>();
                using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (!warmup.IsWarm)
                {
                    await Task.Delay(20, guard.Token);
                }
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RlsHost(app, grpc, http, debug);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

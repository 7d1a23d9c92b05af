using System.Text.Json;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Api;
using MeshFunctions.Rls.Http;
using MeshFunctions.Rls.Limiting;
using MeshFunctions.Rls.Observability;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace MeshFunctions.Rls;

/// <summary>Builds the service: three listeners (gRPC 8081, HTTP 8080, debug 6070 by default) and their endpoints.</summary>
public static partial class RlsApplication
{
    private static readonly JsonSerializerOptions DumpOptions = new() { WriteIndented = true };

    /// <summary>
    /// Creates the application with its endpoints (<see cref="MapRateLimitService"/>); <paramref name="configure"/> lets
    /// tests add configuration or replace services, and <paramref name="environment"/> stands in for the process
    /// environment (envoyproxy/ratelimit's variables are read from it: <see cref="ReferenceEnvironment"/>). Throws
    /// <see cref="InvalidOperationException"/> naming every unsupported or malformed variable.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var app = BuildHost(args, configure, environment);
        app.MapRateLimitService(Options(app.Configuration));
        return app;
    }

    /// <summary>
    /// Creates the application as <see cref="Build"/> does — listeners, services, settings from the environment — but maps
    /// no endpoint, so another host (the benchmark's baseline) composes the same server with endpoints of its own.
    /// </summary>
    public static WebApplication BuildHost(string[] args, Action<WebApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var reference = ReferenceEnvironment.Map(environment ?? ReferenceEnvironment.Process());
        if (reference.Errors.Count > 0)
        {
            throw new InvalidOperationException(
                "envoyproxy/ratelimit environment variables this service cannot honour:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", reference.Errors));
        }

        // Lowest precedence: explicit Rls:* settings (appsettings, Rls__* variables, command line) win.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = reference.Settings });
        configure?.Invoke(builder);
        var options = Options(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port, HttpProtocols protocols, bool tls = false)
            {
                void Configure(ListenOptions l)
                {
                    l.Protocols = protocols;
                    if (tls)
                    {
                        l.UseHttps(GrpcTls.ServerOptions(options));
                    }
                }

                if (options.LoopbackOnly)
                {
                    kestrel.Listen(System.Net.IPAddress.Loopback, port, Configure);
                }
                else
                {
                    kestrel.ListenAnyIP(port, Configure);
                }
            }

            Listen(options.GrpcPort, HttpProtocols.Http2, tls: options.GrpcTlsCertificate is not null);
            Listen(options.HttpPort, HttpProtocols.Http1);
            if (options.DebugPort > 0)
            {
                Listen(options.DebugPort, HttpProtocols.Http1);
            }

            if (options.MetricsPort > 0)
            {
                Listen(options.MetricsPort, HttpProtocols.Http1);
            }
        });
        builder.Services.AddRateLimitService(builder.Configuration);

        var app = builder.Build();
        foreach (var note in reference.Ignored)
        {
            Log.ReferenceVariableIgnored(app.Logger, note);
        }

        return app;
    }

    /// <summary>Maps the endpoints on their ports: ShouldRateLimit, and <see cref="MapRateLimitSupport"/>'s.</summary>
    public static WebApplication MapRateLimitService(this WebApplication app, RlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        app.MapGrpcService<RateLimitGrpcService>().RequireHost($"*:{options.GrpcPort}");
        return app.MapRateLimitSupport(options);
    }

    /// <summary>Maps everything but ShouldRateLimit: gRPC health, /healthz, /json, metrics and /rlconfig.</summary>
    public static WebApplication MapRateLimitSupport(this WebApplication app, RlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var grpcHost = $"*:{options.GrpcPort}";
        var httpHost = $"*:{options.HttpPort}";
        app.MapGrpcHealthChecksService().RequireHost(grpcHost);
        app.MapHealthChecks("/healthz").RequireHost(httpHost);
        app.MapHealthChecks("/healthcheck").RequireHost(httpHost);
        app.MapPost("/json", (HttpContext context, RateLimitEngine engine) => JsonEndpoint.HandleAsync(context, engine, options)).RequireHost(httpHost);
        app.MapMetrics(options.MetricsPath, app.Services.GetRequiredService<RlsMetrics>().Registry).RequireHost(options.MetricsPort > 0 ? $"*:{options.MetricsPort}" : httpHost);
        if (options.DebugPort > 0)
        {
            app.MapGet("/rlconfig", (RuleSetStore store) => Results.Text(
                JsonSerializer.Serialize(new { generation = store.Generation, errors = store.LastErrors.Select(e => e.ToString()), domains = store.Current?.Sources }, DumpOptions),
                "application/json")).RequireHost($"*:{options.DebugPort}");
        }

        return app;
    }

    /// <summary>The bound settings, unvalidated (validation runs at start, so a bad setting fails the start, not the build).</summary>
    public static RlsOptions Options(IConfiguration configuration) =>
        configuration.GetSection(RlsOptions.SectionName).Get<RlsOptions>() ?? new RlsOptions();

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "envoyproxy/ratelimit variable {Note}")]
        public static partial void ReferenceVariableIgnored(ILogger logger, string note);
    }
}

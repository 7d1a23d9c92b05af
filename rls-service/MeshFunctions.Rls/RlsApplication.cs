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
public static class RlsApplication
{
    private static readonly JsonSerializerOptions DumpOptions = new() { WriteIndented = true };

    /// <summary>Creates the application; <paramref name="configure"/> lets tests add configuration or replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var baseline = args.Contains("--baseline-empty-handler", StringComparer.Ordinal);
        var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--baseline-empty-handler")]);
        if (baseline)
        {
            builder.Configuration.AddInMemoryCollection([new("Rls:BaselineEmptyHandler", "true")]);
        }

        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection(RlsOptions.SectionName).Get<RlsOptions>() ?? new RlsOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port, HttpProtocols protocols)
            {
                if (options.LoopbackOnly)
                {
                    kestrel.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = protocols);
                }
                else
                {
                    kestrel.ListenAnyIP(port, l => l.Protocols = protocols);
                }
            }

            Listen(options.GrpcPort, HttpProtocols.Http2);
            Listen(options.HttpPort, HttpProtocols.Http1);
            if (options.DebugPort > 0)
            {
                Listen(options.DebugPort, HttpProtocols.Http1);
            }

        });
        builder.Services.AddRateLimitService(builder.Configuration);

        var app = builder.Build();
        var grpcHost = $"*:{options.GrpcPort}";
        var httpHost = $"*:{options.HttpPort}";
        if (options.BaselineEmptyHandler)
        {
            app.MapGrpcService<EmptyRateLimitService>().RequireHost(grpcHost);
        }
        else
        {
            app.MapGrpcService<RateLimitGrpcService>().RequireHost(grpcHost);
        }

        app.MapGrpcHealthChecksService().RequireHost(grpcHost);
        app.MapHealthChecks("/healthz").RequireHost(httpHost);
        app.MapHealthChecks("/healthcheck").RequireHost(httpHost);
        app.MapPost("/json", (HttpContext context, RateLimitEngine engine) => JsonEndpoint.HandleAsync(context, engine, options)).RequireHost(httpHost);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<RlsMetrics>().Registry).RequireHost(httpHost);
        if (options.DebugPort > 0)
        {
            app.MapGet("/rlconfig", (RuleSetStore store) => Results.Text(
                JsonSerializer.Serialize(new { generation = store.Generation, errors = store.LastErrors.Select(e => e.ToString()), domains = store.Current?.Sources }, DumpOptions),
                "application/json")).RequireHost($"*:{options.DebugPort}");
        }

        return app;
    }
}

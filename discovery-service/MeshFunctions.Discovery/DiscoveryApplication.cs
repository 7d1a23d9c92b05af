using System.Net;
using MeshFunctions.Discovery.Grpc;
using MeshFunctions.Discovery.Http;
using MeshFunctions.Discovery.Observability;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Prometheus;

namespace MeshFunctions.Discovery;

/// <summary>Builds the service: the Consul HTTP API with health and metrics on one port (HTTP/1.1), gRPC over h2c on another (HTTP/2 only).</summary>
public static class DiscoveryApplication
{
    /// <summary>Creates the application; <paramref name="configure"/> lets tests add configuration or replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Defaults below every other configuration source (appsettings, environment, command line override them):
        // ASP.NET Core's hosting diagnostics log "request starting/finished" and, while that category is enabled, give
        // every request an Activity and a logging scope that stay alive as long as the request — for a blocked
        // watcher, minutes. Off by default: ~2 KB less managed memory per blocked watcher and less work per answer
        // (tests/bench/README.md, discovery). Set Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics to turn it on.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None" },
        });
        configure?.Invoke(builder);

        // Logging scopes off unless configured (Logging:CaptureScopes): the console logger prints none by default, yet
        // with capture on every connection keeps Kestrel's connection scope and an execution context for as long as it
        // is open — for 10,000 parked watchers, ~2 MB.
        var captureScopes = builder.Configuration.GetValue("Logging:CaptureScopes", false);
        builder.Services.Configure<LoggerFilterOptions>(o => o.CaptureScopes = captureScopes);
        var options = builder.Configuration.GetSection(DiscoveryOptions.SectionName).Get<DiscoveryOptions>() ?? new DiscoveryOptions();
        // Watchers reconnect in storms (a replica restarts, a rollout): a deeper accept queue than Kestrel's 512 keeps
        // them from being reset (the kernel caps it at net.core.somaxconn).
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.MaxConcurrentConnections = null;
            var address = options.LoopbackOnly ? IPAddress.Loopback : IPAddress.Any;
            kestrel.Listen(address, options.HttpPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                if (options.LeanWatches)
                {
                    // Blocking reads are served on the transport, ahead of Kestrel's HTTP/1.1 pipeline (WatchConnections).
                    l.Use(next => l.ApplicationServices.GetRequiredService<WatchConnections>().Wrap(next));
                }
            });
            kestrel.Listen(address, options.GrpcPort, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddDiscovery(builder.Configuration);

        var app = builder.Build();
        var api = app.Services.GetRequiredService<ConsulApi>();
        app.Map("/v1/{**rest}", api.HandleAsync);
        app.MapGrpcService<DiscoveryGrpcService>();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<DiscoveryMetrics>().Registry);
        return app;
    }
}

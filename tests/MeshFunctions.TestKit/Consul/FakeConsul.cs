using System.Collections.Concurrent;
using System.Net;
using MeshFunctions.TestKit.Consul.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Consul;

/// <summary>
/// A Consul HTTP API stand-in on a loopback Kestrel listener: catalog, health, KV, status and agent
/// endpoints with Consul's JSON shapes, headers and blocking-query semantics (see README.md for what it
/// covers and where it differs). Fed from test code or a JSON fixture; can go down and come back on the same port.
/// </summary>
public sealed partial class FakeConsul : IAsyncDisposable
{
    private readonly FakeConsulOptions _options;
    private readonly ConsulState _state;
    private readonly ConcurrentQueue<ConsulRequest> _requests = new();
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();

    private FakeConsul(FakeConsulOptions options)
    {
        _options = options;
        _state = new ConsulState(options.Datacenter, options.Version);
        _state.EnsureNode(options.NodeName, options.NodeAddress);
        if (options.IncludeConsulService)
        {
            _state.RegisterService(options.NodeName, new ConsulServiceRegistration("consul", 8300));
        }
    }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>The <c>host:port</c> form that <c>CONSUL_HTTP_ADDR</c> expects.</summary>
    public string HttpAddress => $"127.0.0.1:{Port}";

    /// <summary>The loopback port; stays the same across <see cref="StopAsync"/> / <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Whether the server answers; false between <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>The highest index handed out so far (every change takes the next one).</summary>
    public ulong CurrentIndex => _state.RaftIndex;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<ConsulRequest> Requests => [.. _requests];

    /// <summary>Value of <c>X-Consul-KnownLeader</c> (default true); false also empties <c>/v1/status/leader</c>.</summary>
    public bool KnownLeader { get; set; } = true;

    /// <summary>Value of <c>X-Consul-LastContact</c>, sent in whole milliseconds (default 0).</summary>
    public TimeSpan LastContact { get; set; }

    internal string LeaderAddress => KnownLeader ? $"{_options.NodeAddress}:8300" : string.Empty;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts a fake Consul on a loopback port (the options' port, or a free one).</summary>
    public static async Task<FakeConsul> StartAsync(FakeConsulOptions? options = null, CancellationToken cancellationToken = default)
    {
        var consul = new FakeConsul(options ?? new FakeConsulOptions());
        if (consul._options.FixturePath is { } fixture)
        {
            consul.LoadFixture(fixture);
        }

        consul.Port = consul._options.Port;
        await consul.ListenAsync(cancellationToken).ConfigureAwait(false);
        return consul;
    }

    /// <summary>Stops the listener: connections are refused and in-flight requests are cut, as when Consul dies. Data is kept.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        await _stopping.CancelAsync().ConfigureAwait(false);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(grace.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Starts listening again on the same port, with the same data and indexes.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = new CancellationTokenSource();
        await ListenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Heal();
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal void Log(ConsulRequest request) => _requests.Enqueue(request);

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, Port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var handler = new ConsulHttpHandler(this, _state, _options);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }
}

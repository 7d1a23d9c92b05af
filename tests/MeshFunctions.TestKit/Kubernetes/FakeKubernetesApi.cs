using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using MeshFunctions.TestKit.Kubernetes.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server on <c>127.0.0.1</c> (random port, plain HTTP) for the real
/// <c>k8s.Kubernetes</c> client: generic REST over registered resources with resourceVersion, generation,
/// status subresource, patches, watches with history, fault injection and a write log.
/// See <c>tests/MeshFunctions.TestKit/README.md</c> for what it covers and what it does not.
/// </summary>
public sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly ITimer _bookmarks;

    private FakeKubernetesApi(WebApplication app, ObjectStore store, ResourceRegistry registry, KubeFaults faults, string url, ITimer bookmarks, X509Certificate2? certificate, string? bearerToken)
    {
        CaCertificate = certificate;
        BearerToken = bearerToken;
        _app = app;
        _store = store;
        _registry = registry;
        Faults = faults;
        Url = url;
        _bookmarks = bookmarks;
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>The self-signed server certificate (also the CA to trust) when <c>UseTls</c> is on; else null.</summary>
    public X509Certificate2? CaCertificate { get; }

    /// <summary>The token every request must carry (<see cref="FakeKubernetesApiOptions.RequiredBearerToken"/>); else null.</summary>
    public string? BearerToken { get; }

    /// <summary>Latency and failure injection.</summary>
    public KubeFaults Faults { get; }

    /// <summary>Every committed write since start (or <see cref="ClearWrites"/>), in resourceVersion order.</summary>
    public IReadOnlyList<KubeWrite> Writes => _store.Writes;

    /// <summary>The current global resourceVersion (the last committed write).</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>How many watch streams are open now.</summary>
    public int OpenWatchCount => _store.OpenWatchCount;

    /// <summary>Starts a server. Namespaces <c>default</c> and <c>kube-system</c> exist; the write log starts empty.</summary>
    public static async Task<FakeKubernetesApi> StartAsync(FakeKubernetesApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKubernetesApiOptions();
        var registry = new ResourceRegistry();
        var store = new ObjectStore(options);
        store.Schemas.Registry = registry;
        var faults = new KubeFaults();
        var endpoint = new KubeApiEndpoint(store, registry, faults, options);

        var certificate = options.UseTls ? SelfSignedCertificate.Create() : null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            // The endpoint enforces MaxRequestBodyBytes itself so that the client gets a Status 413.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(Authenticated(options, endpoint.HandleAsync));
        await app.StartAsync(cancellationToken);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        foreach (var ns in (string[])["default", "kube-system"])
        {
            store.Create(BuiltInResources.All[0], null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, keepStatus: true);
        }

        store.ClearWrites();
        var timer = options.TimeProvider.CreateTimer(_ => store.SendBookmarks(), null, options.BookmarkInterval, options.BookmarkInterval);
        return new FakeKubernetesApi(app, store, registry, faults, url, timer, certificate, options.RequiredBearerToken);
    }

    /// <summary>A client configuration pointing at this server (trusting <see cref="CaCertificate"/> when on TLS).</summary>
    public KubernetesClientConfiguration CreateClientConfiguration() =>
        new() { Host = Url, SslCaCerts = CaCertificate is null ? null : [CaCertificate], AccessToken = BearerToken };

    /// <summary>
    /// Writes a kubeconfig whose current context (<c>fake</c>, namespace <c>default</c>) points at this server,
    /// for code that loads its configuration with <c>BuildConfigFromConfigFile</c>.
    /// </summary>
    public void WriteKubeconfig(string path) => File.WriteAllText(path, $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {Url}
        users:
        - name: fake
          user:
            token: {BearerToken ?? "fake-token"}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: fake
            namespace: default
        current-context: fake

        """);

    /// <summary>A real <c>k8s.Kubernetes</c> client for this server; dispose it.</summary>
    public k8s.Kubernetes CreateClient() => new(CreateClientConfiguration());

    /// <summary>Serves a custom resource (status subresource on by default), like installing its CRD.</summary>
    public KubeResourceType RegisterResource(string group, string version, string plural, string kind, bool namespaced, bool hasStatusSubresource = true)
    {
        var type = new KubeResourceType(group, version, plural, kind, namespaced, hasStatusSubresource, IsCustom: true);
        _registry.Register(type);
        return type;
    }

    /// <summary>Forgets the event history: watches from any earlier resourceVersion get 410 Expired.</summary>
    public void CompactHistory() => _store.Compact();

    /// <summary>Sends a BOOKMARK now to every open watch that allowed bookmarks.</summary>
    public void SendBookmarks() => _store.SendBookmarks();

    /// <summary>Aborts open watch connections (all, or those of <paramref name="plural"/>) mid-stream; returns how many.</summary>
    public int DropWatches(string? plural = null) => _store.EndWatches(abort: true, plural);

    /// <summary>Ends open watch streams cleanly, as the server does at <c>timeoutSeconds</c>; returns how many.</summary>
    public int CloseWatches(string? plural = null) => _store.EndWatches(abort: false, plural);

    /// <summary>Empties <see cref="Writes"/>.</summary>
    public void ClearWrites() => _store.ClearWrites();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _bookmarks.DisposeAsync();
        _store.EndWatches(abort: false, plural: null);
        await _app.StopAsync();
        await _app.DisposeAsync();
        CaCertificate?.Dispose();
    }
}

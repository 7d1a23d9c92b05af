using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Kubernetes;
using MeshFunctions.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>
/// The real webhook server (Kestrel, HTTPS with certificates from files, the real Kubernetes client) on loopback against
/// the Kubernetes API stand-in; <see cref="PostAsync"/> sends AdmissionReviews over TLS verified against the test CA.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private WebhookHost(WebApplication app, FakeKubernetesApi api, TestCertificates certs, string dir, Uri baseAddress, RecordingEventSink? events, RecordingLoggerProvider logs)
    {
        Logs = logs;
        _app = app;
        Api = api;
        Certificates = certs;
        _dir = dir;
        BaseAddress = baseAddress;
        Events = events;
        Client = new HttpClient(certs.Handler()) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public FakeKubernetesApi Api { get; }

    public TestCertificates Certificates { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public RecordingEventSink? Events { get; }

    /// <summary>Warnings and errors the server logged (the host's filter keeps Warning and above).</summary>
    public RecordingLoggerProvider Logs { get; }

    public string CertificateDirectory => Path.Combine(_dir, "certs");

    public IServiceProvider Services => _app.Services;

    public const string ControllerUser = "system:serviceaccount:meshfunctions:meshfunctions";

    public static async Task<WebhookHost> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, bool recordEvents = true, FakeKubernetesApi? api = null, Action<IServiceCollection>? services = null)
    {
        api ??= await FakeKubernetesApi.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "mf-webhooks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var certs = new TestCertificates();
        certs.WriteServing(Path.Combine(dir, "certs"));
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        api.WriteKubeconfig(kubeconfig);

        // The webhook runs as the controller's service account (it writes the default Sidecars, which are managed objects).
        File.WriteAllText(kubeconfig, File.ReadAllText(kubeconfig).Replace("token: fake-token", "token: " + ControllerUser, StringComparison.Ordinal));
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Port"] = "0",
            ["Webhooks:ListenAddress"] = "127.0.0.1",
            ["Webhooks:CertificateDirectory"] = Path.Combine(dir, "certs"),
            ["Webhooks:Kubeconfig"] = kubeconfig,
            ["Webhooks:ManagedObjects:ServiceAccountUsername"] = ControllerUser,
            ["Webhooks:PublishEvents"] = recordEvents ? "false" : "true",
            ["Webhooks:DefaultSidecarRetryDelay"] = "00:00:00.050",
            ["Webhooks:DefaultSidecarAttempts"] = "400",
            // Tests judge decisions, not speed: at load 35+ a direct read on a cache miss can outlast the 2 s default
            // (seen: "could not decide within 2 s"). FailurePathTests sets a short deadline to test the deadline itself.
            ["Webhooks:RequestDeadline"] = "00:00:25",
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        var logs = new RecordingLoggerProvider();
        builder.Logging.AddProvider(logs);
        services?.Invoke(builder.Services);
        RecordingEventSink? sink = recordEvents ? new RecordingEventSink() : null;
        if (sink is not null)
        {
            builder.Services.TryAddSingleton<IMeshConfigEventSink>(sink);
        }

        builder.AddWebhookServer();
        var app = builder.Build();
        app.MapWebhooks();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new WebhookHost(app, api, certs, dir, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), sink, logs);
        await host.WaitReadyAsync();
        return host;
    }

    public async Task WaitReadyAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((await Client.GetAsync("/readyz", cancel.Token)).StatusCode != System.Net.HttpStatusCode.OK)
        {
            await Task.Delay(20, cancel.Token);
        }
    }

    /// <summary>POSTs a review; returns the parsed <c>response</c> and the raw HTTP answer.</summary>
    public async Task<(JsonObject Response, HttpResponseMessage Http)> PostAsync(string path, JsonObject review)
    {
        var http = await Client.PostAsync(path, new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, http.StatusCode);
        var body = (await http.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("admission.k8s.io/v1", (string?)body["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)body["kind"]);
        var response = body["response"]!.AsObject();
        Assert.Equal((string?)review["request"]!["uid"], (string?)response["uid"]);
        return (response, http);
    }

    /// <summary>Waits (hang guard only) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // Generous: at load 60+ (seen on shared machines) full TLS handshakes take seconds each.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("gave up waiting for " + what);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Api.DisposeAsync();
        Certificates.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

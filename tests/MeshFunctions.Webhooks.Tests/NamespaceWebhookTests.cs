using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

public sealed class NamespaceWebhookTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Mutate_NamespaceCreate_DefaultSidecarCreatedOnceNamespaceExists()
    {
        var (response, _) = await _host.PostAsync("/mutate/namespaces", Reviews.For("CREATE", Objects.Namespace("team-a")));
        Assert.True((bool)response["allowed"]!);
        Assert.Null(response["patch"]);

        // The namespace is stored only after admission; the writer waits for it.
        _host.Api.Seed(Objects.Namespace("team-a"));
        await WebhookHost.WaitUntilAsync(() => _host.Api.TryGet("networking.istio.io/v1", "Sidecar", "team-a", "default") is not null, "the default Sidecar");

        var sidecar = _host.Api.TryGet("networking.istio.io/v1", "Sidecar", "team-a", "default")!;
        Assert.Null(sidecar["spec"]!["workloadSelector"]);
        Assert.Equal("./*", (string?)sidecar["spec"]!["egress"]![0]!["hosts"]![0]);
    }

    [Fact]
    public async Task Mutate_NamespaceUpdateWithExistingSidecar_LeavesItUnchanged()
    {
        _host.Api.Seed(Objects.Namespace("team-b"));
        var existing = _host.Api.Seed(Core.Admission.SidecarDefaults.DefaultSidecar("team-b"));
        var writer = (Sidecars.DefaultSidecarWriter)_host.Services.GetService(typeof(Sidecars.DefaultSidecarWriter))!;
        _host.Api.Seed(Objects.Namespace("team-c"));

        await _host.PostAsync("/mutate", Reviews.For("UPDATE", Objects.Namespace("team-b"), Objects.Namespace("team-b")));
        await _host.PostAsync("/mutate", Reviews.For("CREATE", Objects.Namespace("team-c")));
        await WebhookHost.WaitUntilAsync(() => _host.Api.TryGet("networking.istio.io/v1", "Sidecar", "team-c", "default") is not null, "team-c's Sidecar");
        await WebhookHost.WaitUntilAsync(() => writer.Pending == 0, "the writer to finish");

        Assert.Equal(1, writer.Created);

        Assert.Equal((string?)existing["metadata"]!["resourceVersion"], (string?)_host.Api.TryGet("networking.istio.io/v1", "Sidecar", "team-b", "default")!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Mutate_DryRunNamespaceCreate_NoSidecar()
    {
        _host.Api.Seed(Objects.Namespace("dry"));
        _host.Api.Seed(Objects.Namespace("wet"));

        await _host.PostAsync("/mutate/namespaces", Reviews.For("CREATE", Objects.Namespace("dry"), dryRun: true));
        await _host.PostAsync("/mutate/namespaces", Reviews.For("CREATE", Objects.Namespace("wet")));
        await WebhookHost.WaitUntilAsync(() => _host.Api.TryGet("networking.istio.io/v1", "Sidecar", "wet", "default") is not null, "wet's Sidecar");

        Assert.Null(_host.Api.TryGet("networking.istio.io/v1", "Sidecar", "dry", "default"));
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>
/// The real kubectl against the API stand-in with the shipped webhook configurations registered. kubectl runs with
/// <c>--validate=false</c>: the stand-in serves no OpenAPI documents (see the TestKit README).
/// </summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private WebhookHost _host = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _host = await WebhookHost.StartAsync();
        _host.RegisterShippedConfigurations();
        _host.Api.Seed(Objects.Namespace("prod"));
        _kubeconfig = Path.Combine(_host.CertificateDirectory, "..", "kubectl-config");
        _host.Api.WriteKubeconfig(_kubeconfig);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Apply_LabelledDeployment_StoresMutatedObject()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(_kubeconfig, Objects.Deployment("reviews", "prod", "enabled").ToJsonString(), "apply", "--validate=false", "-f", "-");

        Assert.True(code == 0, stderr);
        Assert.Contains("deployment.apps/reviews created", stdout, StringComparison.Ordinal);
        var stored = _host.Api.TryGet("apps/v1", "Deployment", "prod", "reviews")!;
        Assert.Equal("true", (string?)stored["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
    }

    [Fact]
    public async Task Apply_VirtualServiceToMissingSubset_FailsWithOurMessageOnStderr()
    {
        _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1"));

        var (code, _, stderr) = await Kubectl.RunAsync(_kubeconfig, Objects.VirtualService("reviews", "prod", "reviews", "v1", "v2").ToJsonString(), "apply", "--validate=false", "-f", "-");

        Assert.NotEqual(0, code);
        Assert.Contains("admission webhook \"subsets.meshfunctions.io\" denied the request", stderr, StringComparison.Ordinal);
        Assert.Contains("subset(s) v2 are not defined by DestinationRule prod/reviews", stderr, StringComparison.Ordinal);
        Assert.Null(_host.Api.TryGet("networking.istio.io/v1", "VirtualService", "prod", "reviews"));
    }

    [Fact]
    public async Task ApplyNamespace_YieldsDefaultSidecar()
    {
        // `kubectl create namespace` sends protobuf, which the stand-in does not speak; apply sends JSON.
        var (code, _, stderr) = await Kubectl.RunAsync(_kubeconfig, Objects.Namespace("team-x").ToJsonString(), "apply", "--validate=false", "-f", "-");

        Assert.True(code == 0, stderr);
        await WebhookHost.WaitUntilAsync(() => _host.Api.TryGet("networking.istio.io/v1", "Sidecar", "team-x", "default") is not null, "the default Sidecar of team-x");
    }

    [Fact]
    public async Task DryRunServer_NamespaceAndDeployment_NoSideEffect()
    {
        var writer = (Sidecars.DefaultSidecarWriter)_host.Services.GetService(typeof(Sidecars.DefaultSidecarWriter))!;

        var ns = await Kubectl.RunAsync(_kubeconfig, Objects.Namespace("dry-x").ToJsonString(), "apply", "--validate=false", "--dry-run=server", "-f", "-");
        var deployment = await Kubectl.RunAsync(_kubeconfig, Objects.Deployment("dry", "prod", "enabled").ToJsonString(), "apply", "--validate=false", "--dry-run=server", "-o", "json", "-f", "-");

        Assert.True(ns.ExitCode == 0, ns.Stderr);
        Assert.True(deployment.ExitCode == 0, deployment.Stderr);
        Assert.Equal("true", (string?)JsonNode.Parse(deployment.Stdout)!["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        Assert.Null(_host.Api.TryGet("v1", "Namespace", null, "dry-x"));
        Assert.Null(_host.Api.TryGet("apps/v1", "Deployment", "prod", "dry"));
        Assert.Equal(0, writer.Pending + writer.Created);
    }

    [Fact]
    public async Task Apply_TemplateDisagreesWithLabel_KubectlPrintsWarning()
    {
        var deployment = Objects.Deployment("mixed", "prod", "disabled", new JsonObject { ["sidecar.istio.io/inject"] = "true" });

        var (code, _, stderr) = await Kubectl.RunAsync(_kubeconfig, deployment.ToJsonString(), "apply", "--validate=false", "-f", "-");

        Assert.True(code == 0, stderr);
        Assert.Contains("Warning: template sidecar.istio.io/inject=true overrides Deployment label istio-injection=disabled", stderr, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>The API stand-in's admission chain calling our webhooks over HTTPS, through the real Kubernetes client.</summary>
public sealed partial class ApiServerChainTests : IAsyncLifetime
{
    private WebhookHost _host = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _host = await WebhookHost.StartAsync();
        _host.RegisterShippedConfigurations();
        _host.Api.Seed(Objects.Namespace("prod"));
        _client = _host.Api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Create_LabelledDeployment_StoredMutated()
    {
        var body = Objects.Deployment("reviews", "prod", "enabled");

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "apps", "v1", "prod", "deployments");

        var stored = _host.Api.TryGet("apps/v1", "Deployment", "prod", "reviews")!;
        Assert.Equal("true", (string?)stored["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
    }

    [Fact]
    public async Task Create_VirtualServiceToMissingSubset_403WithWebhookNameAndMessage()
    {
        _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1"));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.CreateNamespacedCustomObjectAsync(Objects.VirtualService("reviews", "prod", "reviews", "v2"), "networking.istio.io", "v1", "prod", "virtualservices"));

        Assert.Equal(403, (int)error.Response.StatusCode);
        var message = (string)JsonNode.Parse(error.Response.Content)!["message"]!;
        Assert.StartsWith("admission webhook \"subsets.meshfunctions.io\" denied the request: VirtualService prod/reviews routes to subsets", message, StringComparison.Ordinal);
        Assert.Null(_host.Api.TryGet("networking.istio.io/v1", "VirtualService", "prod", "reviews"));
    }

    [Fact]
    public async Task Create_WebhookCaBundleWrong_FailPolicyRejectsIgnorePolicySkips()
    {
        var other = new TestCertificates("some-other-ca");
        foreach (var kind in new[] { "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration" })
        {
            foreach (var config in _host.Api.List("admissionregistration.k8s.io/v1", kind))
            {
                foreach (var webhook in config["webhooks"]!.AsArray())
                {
                    webhook!["clientConfig"]!["caBundle"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(other.CaPem));
                }

                await _client.CustomObjects.ReplaceClusterCustomObjectAsync(config, "admissionregistration.k8s.io", "v1", kind == "MutatingWebhookConfiguration" ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations", (string)config["metadata"]!["name"]!);
            }
        }

        // Mutating (Ignore): the Deployment is stored unmutated. Validating (Fail): the VirtualService is refused with 500.
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Objects.Deployment("plain", "prod", "enabled"), "apps", "v1", "prod", "deployments");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.CreateNamespacedCustomObjectAsync(Objects.VirtualService("v", "prod", "reviews"), "networking.istio.io", "v1", "prod", "virtualservices"));

        Assert.Null(_host.Api.TryGet("apps/v1", "Deployment", "prod", "plain")!["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        Assert.Equal(500, (int)error.Response.StatusCode);
        Assert.Contains("failed calling webhook", error.Response.Content, StringComparison.Ordinal);
        other.Dispose();
    }

    [Fact]
    public async Task Create_NamespaceExcludedBySelector_NotMutated()
    {
        _host.Api.Seed(Objects.Namespace("meshfunctions"));

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Objects.Deployment("self", "meshfunctions", "enabled"), "apps", "v1", "meshfunctions", "deployments");

        Assert.Null(_host.Api.TryGet("apps/v1", "Deployment", "meshfunctions", "self")!["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
    }

    [Fact]
    public async Task Patch_ManagedObjectByPerson_Denied_ByControllerAllowed()
    {
        var vs = Objects.VirtualService("managed", "prod", "reviews");
        vs["metadata"]!["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "meshfunctions" };
        _host.Api.Seed(vs);
        var patch = new V1Patch("{\"metadata\":{\"annotations\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "networking.istio.io", "v1", "prod", "virtualservices", "managed"));
        Assert.Equal(403, (int)error.Response.StatusCode);
        Assert.Contains("resources.meshfunctions.io", error.Response.Content, StringComparison.Ordinal);

        using var controller = new Kubernetes(_host.Api.CreateClientConfiguration(), new ImpersonationHandler(WebhookHost.ControllerUser));
        await controller.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "networking.istio.io", "v1", "prod", "virtualservices", "managed");
        Assert.Equal("y", (string?)_host.Api.TryGet("networking.istio.io/v1", "VirtualService", "prod", "managed")!["metadata"]!["annotations"]!["x"]);
    }

    private sealed class ImpersonationHandler(string user) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("Impersonate-User", user);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace MeshFunctions.Webhooks.Tests;

// Configuration the API stand-in cannot honour is refused or flagged, never skipped in silence.
public sealed partial class ApiServerChainTests
{
    [Fact]
    public async Task Create_WebhookWithMatchConditions_Refused500NamingWebhook()
    {
        await ChangeWebhooksAsync("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", w =>
            w["matchConditions"] = new JsonArray(new JsonObject { ["name"] = "not-kube-system", ["expression"] = "request.namespace != 'kube-system'" }));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.CreateNamespacedCustomObjectAsync(Objects.VirtualService("v", "prod", "reviews"), "networking.istio.io", "v1", "prod", "virtualservices"));

        Assert.Equal(500, (int)error.Response.StatusCode);
        Assert.Contains("the fake API server does not evaluate matchConditions", error.Response.Content, StringComparison.Ordinal);
        Assert.Null(_host.Api.TryGet("networking.istio.io/v1", "VirtualService", "prod", "v"));
    }

    [Fact]
    public async Task Create_IgnorePolicyWebhookByService_SkippedWithWarning()
    {
        await ChangeWebhooksAsync("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", w =>
            w["clientConfig"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "meshfunctions-webhooks", ["namespace"] = "meshfunctions", ["path"] = "/mutate/workloads" } });

        using var response = await _client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(
            Objects.Deployment("plain", "prod", "enabled"), "apps", "v1", "prod", "deployments");

        Assert.True(response.Response.Headers.TryGetValues("Warning", out var warnings));
        Assert.Contains(warnings, w => w.Contains("fake API server: webhook", StringComparison.Ordinal)
            && w.Contains("workloads.meshfunctions.io", StringComparison.Ordinal) && w.Contains("skipped", StringComparison.Ordinal));
        Assert.Null(_host.Api.TryGet("apps/v1", "Deployment", "prod", "plain")!["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
    }

    private async Task ChangeWebhooksAsync(string kind, string plural, Action<JsonObject> change)
    {
        foreach (var config in _host.Api.List("admissionregistration.k8s.io/v1", kind))
        {
            foreach (var webhook in config["webhooks"]!.AsArray())
            {
                change(webhook!.AsObject());
            }

            await _client.CustomObjects.ReplaceClusterCustomObjectAsync(config, "admissionregistration.k8s.io", "v1", plural, (string)config["metadata"]!["name"]!);
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

public sealed class WorkloadWebhookTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/mutate/workloads")]
    [InlineData("/mutate")]
    public async Task Mutate_LabelledDeploymentCreate_Base64JsonPatchAppliedIndependentlyInjects(string path)
    {
        var deployment = Objects.Deployment("reviews", "prod", "enabled");

        var (response, _) = await _host.PostAsync(path, Reviews.For("CREATE", deployment));

        Assert.True((bool)response["allowed"]!);
        Assert.Equal("JSONPatch", (string?)response["patchType"]);
        var patched = IndependentJsonPatch.Apply(deployment, Encoding.UTF8.GetString(Convert.FromBase64String((string)response["patch"]!)));
        var template = patched["spec"]!["template"]!;
        Assert.Equal("true", (string?)template["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        Assert.Contains("holdApplicationUntilProxyStarts", (string?)template["metadata"]!["annotations"]!["proxy.istio.io/config"], StringComparison.Ordinal);
        Assert.True((long)template["spec"]!["terminationGracePeriodSeconds"]! >= 35);
    }

    [Fact]
    public async Task Mutate_Reinvoked_NoPatch()
    {
        var deployment = Objects.Deployment("reviews", "prod", "enabled");
        var (first, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", deployment));
        var patched = IndependentJsonPatch.Apply(deployment, Encoding.UTF8.GetString(Convert.FromBase64String((string)first["patch"]!))).AsObject();

        var (second, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("UPDATE", patched, patched));

        Assert.True((bool)second["allowed"]!);
        Assert.Null(second["patch"]);
        Assert.Null(second["patchType"]);
    }

    [Fact]
    public async Task Mutate_ExplicitTemplateInjectTrueWithLabelDisabled_KeptAndWarned()
    {
        var deployment = Objects.Deployment("reviews", "prod", "disabled", new JsonObject { ["sidecar.istio.io/inject"] = "true" });

        var (response, http) = await _host.PostAsync("/mutate/workloads", Reviews.For("UPDATE", deployment, deployment));

        Assert.True((bool)response["allowed"]!);
        var patched = response["patch"] is { } p ? IndependentJsonPatch.Apply(deployment, Encoding.UTF8.GetString(Convert.FromBase64String((string)p!))) : deployment;
        Assert.Equal("true", (string?)patched["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        var warning = Assert.Single(response["warnings"]!.AsArray().Select(w => (string)w!), w => w.Contains("overrides", StringComparison.Ordinal));
        Assert.True(warning.Length <= 120);
    }

    [Fact]
    public async Task Mutate_DryRunPod_PatchedLikeCreate()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"prod","labels":{"istio-injection":"enabled"}},
             "spec":{"containers":[{"name":"app","image":"x"}]}}
            """)!.AsObject();

        var (response, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", pod, dryRun: true));

        var patched = IndependentJsonPatch.Apply(pod, Encoding.UTF8.GetString(Convert.FromBase64String((string)response["patch"]!)));
        Assert.Equal("true", (string?)patched["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
    }

    [Fact]
    public async Task Mutate_DeleteOrOtherKind_AllowedWithoutPatch()
    {
        var deployment = Objects.Deployment("reviews", "prod", "enabled");
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"prod"},"spec":{}}""")!.AsObject();

        var (deleted, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("DELETE", null, deployment));
        var (other, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", service));

        Assert.True((bool)deleted["allowed"]! && (bool)other["allowed"]!);
        Assert.Null(deleted["patch"]);
        Assert.Null(other["patch"]);
    }

    [Fact]
    public async Task Mutate_PodInCachedNamespaces_WarnsFromEachNamespacesLabels()
    {
        var cache = (Cache.ClusterCache)_host.Services.GetService(typeof(Cache.ClusterCache))!;
        var quiet = Objects.Namespace("quiet");
        quiet["metadata"]!["labels"] = new JsonObject { ["istio-injection"] = "disabled" };
        _host.Api.Seed(quiet);
        await WebhookHost.WaitUntilAsync(() => cache.Namespaces.Current.Get(string.Empty, "quiet") is not null, "namespace quiet in the cache");

        var (inQuiet, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", Pod("quiet")));

        Assert.Contains(Warnings(inQuiet), w => w.Contains("istio-injection=disabled excludes the namespace", StringComparison.Ordinal));

        // A namespace added later (a new cache snapshot) is read too; one that is not cached gives no namespace warning.
        var canary = Objects.Namespace("canary");
        canary["metadata"]!["labels"] = new JsonObject { ["istio.io/rev"] = "other" };
        _host.Api.Seed(canary);
        await WebhookHost.WaitUntilAsync(() => cache.Namespaces.Current.Get(string.Empty, "canary") is not null, "namespace canary in the cache");

        var (inCanary, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", Pod("canary")));
        var (elsewhere, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", Pod("uncached")));

        Assert.Contains(Warnings(inCanary), w => w.Contains("istio.io/rev=other decides the control plane", StringComparison.Ordinal));
        Assert.DoesNotContain(Warnings(inCanary), w => w.Contains("istio-injection=disabled", StringComparison.Ordinal));
        Assert.DoesNotContain(Warnings(elsewhere), w => w.Contains("namespace", StringComparison.Ordinal));

        static JsonObject Pod(string ns) => JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"{{{ns}}}","labels":{"istio-injection":"enabled"}},
             "spec":{"containers":[{"name":"app","image":"x"}]}}
            """)!.AsObject();

        static string[] Warnings(JsonObject response) => response["warnings"] is JsonArray w ? w.Select(x => (string)x!).ToArray() : [];
    }

    [Fact]
    public async Task Mutate_MalformedTemplate_DeniedWithFieldAndCode400()
    {
        var deployment = Objects.Deployment("reviews", "prod", "enabled");
        deployment["spec"]!["template"]!["spec"]!["containers"] = "not-a-list";

        var (response, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", deployment));

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(400, (int)response["status"]!["code"]!);
        Assert.Contains("spec.template.spec.containers", (string?)response["status"]!["message"], StringComparison.Ordinal);
        Assert.Null(response["patch"]);
    }
}

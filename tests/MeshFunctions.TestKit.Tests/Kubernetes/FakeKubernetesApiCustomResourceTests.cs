using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiCustomResourceTests : FakeKubernetesApiTestBase
{
    private GenericClient Routers => new(Client, RouterObject.Group, RouterObject.Version, RouterObject.Plural, disposeClient: false);

    [Fact]
    public async Task GenericClient_CreateReadList_Router()
    {
        using var routers = Routers;
        await routers.CreateNamespacedAsync(RouterObject.Create("a", labels: new Dictionary<string, string> { ["team"] = "x" }), "default");
        await routers.CreateNamespacedAsync(RouterObject.Create("b"), "default");

        var read = await routers.ReadNamespacedAsync<RouterObject>("default", "a");
        var list = await routers.ListNamespacedAsync<RouterObjectList>("default", labelSelector: "team=x");

        Assert.Equal("svc.default.svc.cluster.local", read.Spec!["host"]!.GetValue<string>());
        Assert.Equal(1, read.Metadata.Generation);
        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("Router", list.Items[0].Kind);
    }

    [Fact]
    public async Task CustomObjects_CreateWithoutKind_BadRequest400()
    {
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a" }, ["spec"] = new JsonObject() };

        await FailsWith(400, () => Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, RouterObject.Group, RouterObject.Version, "default", RouterObject.Plural));
    }

    [Fact]
    public async Task CustomObjects_ReplaceWithoutResourceVersion_Invalid422()
    {
        using var routers = Routers;
        await routers.CreateNamespacedAsync(RouterObject.Create("a"), "default");

        var error = await FailsWith(422, () => routers.ReplaceNamespacedAsync(RouterObject.Create("a", "other"), "default", "a"));

        Assert.Equal("metadata.resourceVersion", StatusOf(error).Details.Causes.Single().Field);
    }

    [Fact]
    public async Task CustomObjects_StatusSubresource_GenerationOnlyOnSpec()
    {
        using var routers = Routers;
        var created = await routers.CreateNamespacedAsync(RouterObject.Create("a"), "default");
        created.Status = new JsonObject { ["observedGeneration"] = 1 };

        var status = await Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<RouterObject>(created, RouterObject.Group, RouterObject.Version, "default", RouterObject.Plural, "a");
        status.Spec!["host"] = "other";
        var spec = await routers.ReplaceNamespacedAsync(status, "default", "a");

        Assert.Equal(1, status.Metadata.Generation);
        Assert.Equal(1, status.Status!["observedGeneration"]!.GetValue<int>());
        Assert.Equal(2, spec.Metadata.Generation);
        Assert.Equal(1, spec.Status!["observedGeneration"]!.GetValue<int>());
    }

    [Fact]
    public async Task CustomObjects_CreateDropsStatus()
    {
        using var routers = Routers;
        var router = RouterObject.Create("a");
        router.Status = new JsonObject { ["ready"] = true };

        var created = await routers.CreateNamespacedAsync(router, "default");

        Assert.Null(created.Status);
    }

    [Fact]
    public async Task StrategicMergePatch_OnCustomResource_UnsupportedMediaType415()
    {
        using var routers = Routers;
        await routers.CreateNamespacedAsync(RouterObject.Create("a"), "default");

        await FailsWith(415, () => routers.PatchNamespacedAsync<RouterObject>(new V1Patch("""{"spec":{"host":"x"}}""", V1Patch.PatchType.StrategicMergePatch), "default", "a"));
    }

    [Fact]
    public async Task MergePatch_OnCustomResource_Applied()
    {
        using var routers = Routers;
        await routers.CreateNamespacedAsync(RouterObject.Create("a"), "default");

        var patched = await routers.PatchNamespacedAsync<RouterObject>(new V1Patch("""{"spec":{"host":"x"}}""", V1Patch.PatchType.MergePatch), "default", "a");

        Assert.Equal("x", patched.Spec!["host"]!.GetValue<string>());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task RegisterResource_ClusterScoped_ServedUnderApis()
    {
        Api.RegisterResource("example.com", "v1", "widgets", "Widget", namespaced: false);
        var body = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" } };

        await Client.CustomObjects.CreateClusterCustomObjectAsync(body, "example.com", "v1", "widgets");
        var read = (JsonElement)await Client.CustomObjects.GetClusterCustomObjectAsync("example.com", "v1", "widgets", "w");

        Assert.Equal("w", read.GetProperty("metadata").GetProperty("name").GetString());
        Assert.False(read.GetProperty("metadata").TryGetProperty("namespace", out _));
    }

    [Theory]
    [InlineData("/version", "gitVersion")]
    [InlineData("/api", "versions")]
    [InlineData("/api/v1", "resources")]
    [InlineData("/apis", "groups")]
    [InlineData("/apis/networking.istio.io", "preferredVersion")]
    [InlineData("/apis/networking.istio.io/v1alpha3", "resources")]
    public async Task Discovery_Documents_Served(string path, string member)
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(Api.Url + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(document[member]);
    }

    [Fact]
    public async Task Discovery_ClientGetCode_ReportsVersion()
    {
        var version = await Client.Version.GetCodeAsync();

        Assert.Equal("1", version.Major);
    }

    [Fact]
    public async Task Discovery_IstioGroups_ListedByClient()
    {
        var groups = await Client.Apis.GetAPIVersionsAsync();

        Assert.Contains(groups.Groups, g => g.Name == "networking.istio.io" && g.PreferredVersion.Version == "v1");
        Assert.Contains(groups.Groups, g => g.Name == "quota.service-mesh.zhihu.com");
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiStateTests : FakeKubernetesApiTestBase
{
    [Fact]
    public async Task Writes_RecordEveryCommitInOrder()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Spec.Ports[0].Port = 81;
        await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");
        await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await Client.CoreV1.DeleteNamespacedServiceAsync("web", "default");

        var writes = Api.Writes;

        Assert.Equal([KubeWriteVerb.Create, KubeWriteVerb.Update, KubeWriteVerb.Patch, KubeWriteVerb.Delete], writes.Select(w => w.Verb));
        Assert.All(writes, w => Assert.Equal("v1/services/default/web", w.Key));
        Assert.Equal(writes.Select(w => w.ResourceVersion).Order(), writes.Select(w => w.ResourceVersion));
        Assert.Equal(81, writes[1].Object["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal(Api.ResourceVersion, writes[^1].ResourceVersion);
    }

    [Fact]
    public async Task Seed_KeepsStatusAndIsVisibleToClient()
    {
        Api.Seed(new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "VirtualService",
            ["metadata"] = new JsonObject { ["name"] = "vs", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["hosts"] = new JsonArray("web") },
            ["status"] = new JsonObject { ["observedGeneration"] = "1" },
        });

        var read = (System.Text.Json.JsonElement)await Client.CustomObjects.GetNamespacedCustomObjectAsync("networking.istio.io", "v1", "default", "virtualservices", "vs");

        Assert.Equal("1", read.GetProperty("status").GetProperty("observedGeneration").GetString());
        Assert.Equal(KubeWriteVerb.Create, Assert.Single(Api.Writes).Verb);
    }

    [Fact]
    public void Seed_UnknownKind_ArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Api.Seed(new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Nope", ["metadata"] = new JsonObject { ["name"] = "x" } }));

        Assert.Contains("RegisterResource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryGetAndList_ReadTheCurrentState()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "default");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");

        Assert.NotNull(Api.TryGet("v1", "ConfigMap", "default", "a"));
        Assert.Null(Api.TryGet("v1", "ConfigMap", "kube-system", "a"));
        Assert.Equal(["a", "b"], Api.List("v1", "ConfigMap", "default").Select(o => o["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(["default", "kube-system"], Api.List("v1", "Namespace").Select(o => o["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RequireNamespace_CreateInMissingNamespace_NotFound()
    {
        await using var strict = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { RequireNamespace = true });
        using var client = strict.CreateClient();

        var error = await FailsWith(404, () => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "missing"));

        Assert.Equal("namespaces \"missing\" not found", StatusOf(error).Message);
    }
}

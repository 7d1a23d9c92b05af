using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiPatchTests : FakeKubernetesApiTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web", new Dictionary<string, string> { ["app"] = "web", ["old"] = "x" }), "default");
    }

    [Fact]
    public async Task JsonPatch_AddReplaceRemove_Applied()
    {
        var patch = new V1Patch("""
            [
              {"op":"test","path":"/metadata/labels/app","value":"web"},
              {"op":"add","path":"/metadata/labels/tier","value":"front"},
              {"op":"remove","path":"/metadata/labels/old"},
              {"op":"replace","path":"/spec/ports/0/port","value":8080}
            ]
            """, V1Patch.PatchType.JsonPatch);

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default");

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, patched.Metadata.Labels);
        Assert.Equal(8080, patched.Spec.Ports[0].Port);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task JsonPatch_FailingTest_Unprocessable422AndNothingChanged()
    {
        var before = Api.ResourceVersion;
        var patch = new V1Patch("""[{"op":"test","path":"/metadata/labels/app","value":"db"},{"op":"add","path":"/metadata/labels/x","value":"y"}]""", V1Patch.PatchType.JsonPatch);

        await FailsWith(422, () => Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default"));

        Assert.Equal(before, Api.ResourceVersion);
    }

    [Fact]
    public async Task JsonPatch_StaleResourceVersionInPatch_Conflict409()
    {
        var patch = new V1Patch("""[{"op":"replace","path":"/metadata/resourceVersion","value":"1"}]""", V1Patch.PatchType.JsonPatch);

        await FailsWith(409, () => Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default"));
    }

    [Fact]
    public async Task MergePatch_NullDeletesAndObjectsMerge()
    {
        var patch = new V1Patch("""{"metadata":{"labels":{"old":null,"tier":"back"}}}""", V1Patch.PatchType.MergePatch);

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default");

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" }, patched.Metadata.Labels);
        Assert.Equal(1, patched.Metadata.Generation);
    }

    [Fact]
    public async Task StrategicMergePatch_OnBuiltIn_AppliedAsMergePatch()
    {
        var patch = new V1Patch("""{"spec":{"ports":[{"port":9000}]}}""", V1Patch.PatchType.StrategicMergePatch);

        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default");

        Assert.Equal(9000, Assert.Single(patched.Spec.Ports).Port);
    }

    [Fact]
    public async Task StrategicMergePatch_WithDirective_RejectedLoudly()
    {
        var patch = new V1Patch("""{"spec":{"ports":[{"port":80,"$patch":"delete"}]}}""", V1Patch.PatchType.StrategicMergePatch);

        var error = await FailsWith(400, () => Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default"));

        Assert.Contains("$patch", StatusOf(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyPatch_NotImplemented_UnsupportedMediaType415()
    {
        var patch = new V1Patch("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"}}""", V1Patch.PatchType.ApplyPatch);

        await FailsWith(415, () => Client.CoreV1.PatchNamespacedServiceAsync(patch, "web", "default", fieldManager: "test"));
    }

    [Fact]
    public async Task Patch_Missing_NotFound404()
    {
        var patch = new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch);

        await FailsWith(404, () => Client.CoreV1.PatchNamespacedServiceAsync(patch, "ghost", "default"));
    }

    [Fact]
    public async Task PatchStatus_ChangesOnlyStatus()
    {
        var patch = new V1Patch("""{"spec":{"ports":[{"port":1}]},"status":{"loadBalancer":{"ingress":[{"hostname":"lb"}]}}}""", V1Patch.PatchType.MergePatch);

        var patched = await Client.CoreV1.PatchNamespacedServiceStatusAsync(patch, "web", "default");

        Assert.Equal("lb", patched.Status.LoadBalancer.Ingress[0].Hostname);
        Assert.Equal(80, patched.Spec.Ports[0].Port);
        Assert.Equal(1, patched.Metadata.Generation);
    }
}

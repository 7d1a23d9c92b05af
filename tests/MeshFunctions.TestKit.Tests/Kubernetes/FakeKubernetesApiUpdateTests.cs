using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiUpdateTests : FakeKubernetesApiTestBase
{
    [Fact]
    public async Task Replace_StaleResourceVersion_Conflict409()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        var first = await Client.CoreV1.ReadNamespacedServiceAsync("web", "default");
        first.Spec.Ports[0].Port = 81;
        await Client.CoreV1.ReplaceNamespacedServiceAsync(first, "web", "default");

        var stale = created;
        stale.Spec.Ports[0].Port = 82;
        var error = await FailsWith(409, () => Client.CoreV1.ReplaceNamespacedServiceAsync(stale, "web", "default"));

        var status = StatusOf(error);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains("the object has been modified", status.Message, StringComparison.Ordinal);
        Assert.Equal(81, (await Client.CoreV1.ReadNamespacedServiceAsync("web", "default")).Spec.Ports[0].Port);
    }

    [Fact]
    public async Task Replace_Missing_NotFound404()
    {
        await FailsWith(404, () => Client.CoreV1.ReplaceNamespacedServiceAsync(Service("ghost"), "ghost", "default"));
    }

    [Fact]
    public async Task Replace_NameDiffersFromUrl_BadRequest400()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");

        await FailsWith(400, () => Client.CoreV1.ReplaceNamespacedServiceAsync(Service("other"), "web", "default"));
    }

    [Fact]
    public async Task Replace_SpecChange_BumpsGenerationAndResourceVersion()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Spec.Ports[0].Port = 8080;

        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");

        Assert.Equal(2, updated.Metadata.Generation);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Replace_LabelsOnly_BumpsResourceVersionNotGeneration()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Metadata.Labels = new Dictionary<string, string> { ["team"] = "mesh" };

        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");

        Assert.Equal(1, updated.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceStatus_BumpsResourceVersionNotGeneration_AndMainResourceIgnoresStatus()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "10.0.0.1" }] } };
        created.Spec.Ports[0].Port = 9090;

        var afterStatus = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(created, "web", "default");

        Assert.Equal(1, afterStatus.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, afterStatus.Metadata.ResourceVersion);
        Assert.Equal("10.0.0.1", afterStatus.Status.LoadBalancer.Ingress[0].Ip);
        Assert.Equal(80, afterStatus.Spec.Ports[0].Port);

        afterStatus.Status = new V1ServiceStatus();
        var afterMain = await Client.CoreV1.ReplaceNamespacedServiceAsync(afterStatus, "web", "default");
        Assert.Equal("10.0.0.1", afterMain.Status.LoadBalancer.Ingress[0].Ip);
    }

    [Fact]
    public async Task Replace_NoChange_KeepsResourceVersionAndWritesNothing()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        var writes = Api.Writes.Count;

        var same = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(writes, Api.Writes.Count);
    }

    [Fact]
    public async Task Replace_WithoutResourceVersion_BuiltInIsUnconditional()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");

        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(Service("web", port: 81), "web", "default");

        Assert.Equal(81, updated.Spec.Ports[0].Port);
    }

    [Fact]
    public async Task Replace_ServerOwnedMetadata_KeptFromStoredObject()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Metadata.Uid = "forged";
        created.Metadata.Generation = 42;

        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");

        Assert.NotEqual("forged", updated.Metadata.Uid);
        Assert.Equal(1, updated.Metadata.Generation);
    }
}

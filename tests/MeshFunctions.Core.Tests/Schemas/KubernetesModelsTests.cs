using MeshFunctions.Core.Schemas;

namespace MeshFunctions.Core.Tests.Schemas;

public sealed class KubernetesModelsTests
{
    [Fact]
    public void ByName_EveryBuiltInKind_FindsTheTypeTheFullScanFinds()
    {
        // The lookup by type name must give the same answer as scanning every type of KubernetesClient.
        Assert.True(KubernetesModels.All.Count > 100);
        foreach (var (key, type) in KubernetesModels.All)
        {
            var kindAt = key.LastIndexOf('/');
            Assert.Equal(type, KubernetesModels.ByName(key[..kindAt], key[(kindAt + 1)..]));
        }
    }

    [Theory]
    [InlineData("apps/v1", "Deployment", "V1Deployment")]
    [InlineData("v1", "Event", "Corev1Event")]
    [InlineData("events.k8s.io/v1", "Event", "Eventsv1Event")]
    [InlineData("batch/v1", "CronJob", "V1CronJob")]
    public void TypeFor_BuiltInKind_ReturnsItsModel(string apiVersion, string kind, string typeName)
    {
        Assert.Equal(typeName, KubernetesModels.TypeFor(apiVersion, kind)?.Name);
    }

    [Theory]
    [InlineData("apps/v1", "DeploymentList")]
    [InlineData("apps/v1", "deployment")]
    [InlineData("apps/v2", "Deployment")]
    [InlineData("networking.istio.io/v1", "VirtualService")]
    [InlineData("v1", "Deployment")]
    [InlineData("apps/v1", "Deployment.Evil")]
    public void TypeFor_NotABuiltInKind_ReturnsNull(string apiVersion, string kind)
    {
        Assert.Null(KubernetesModels.TypeFor(apiVersion, kind));
    }
}

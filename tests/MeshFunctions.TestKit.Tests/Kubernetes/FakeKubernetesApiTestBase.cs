using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

/// <summary>A fresh fake API server and a real client per test.</summary>
public abstract class FakeKubernetesApiTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    protected FakeKubernetesApi Api { get; private set; } = null!;

    protected k8s.Kubernetes Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Api = await FakeKubernetesApi.StartAsync(Options());
        Client = Api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
    }

    protected virtual FakeKubernetesApiOptions Options() => new();

    protected static V1Service Service(string name, IDictionary<string, string>? labels = null, int port = 80) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = port }] },
    };

    protected static V1Pod Pod(string name, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] },
    };

    protected static async Task<HttpOperationException> FailsWith(int code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, (int)error.Response.StatusCode);
        return error;
    }

    protected static V1Status StatusOf(HttpOperationException error) =>
        KubernetesJson.Deserialize<V1Status>(error.Response.Content);
}

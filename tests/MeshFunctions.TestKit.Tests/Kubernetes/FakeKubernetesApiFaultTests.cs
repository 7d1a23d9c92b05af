using System.Diagnostics;
using k8s;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiFaultTests : FakeKubernetesApiTestBase
{
    [Fact]
    public async Task FailNext_429_ClientSeesTooManyRequestsWithRetryAfterThenRecovers()
    {
        Api.Faults.FailNext(2, 429, retryAfter: TimeSpan.FromSeconds(3));

        var first = await FailsWith(429, () => Client.CoreV1.ListNamespacedPodAsync("default"));
        await FailsWith(429, () => Client.CoreV1.ListNamespacedPodAsync("default"));
        var list = await Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Equal("TooManyRequests", StatusOf(first).Reason);
        Assert.Equal("3", first.Response.Headers["Retry-After"].Single());
        Assert.Empty(list.Items);
        Assert.Equal(2, Api.Faults.InjectedFailures);
    }

    [Fact]
    public async Task FailNext_500ScopedToVerbAndResource_OtherRequestsUnaffected()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        Api.Faults.FailNext(1, 500, new KubeRequestMatch("update", "pods"));

        await Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("s"), "default");
        var error = await FailsWith(500, () => Client.CoreV1.ReplaceNamespacedPodAsync(Pod("p"), "p", "default"));

        Assert.Equal("InternalError", StatusOf(error).Reason);
        Assert.Equal(1, Api.Writes.Count(w => w.Type.Plural == "pods"));
    }

    [Fact]
    public async Task FailNext_OnCreate_NothingStored()
    {
        Api.Faults.FailNext(1, 503, new KubeRequestMatch("create"));

        await FailsWith(503, () => Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default"));

        Assert.Null(Api.TryGet("v1", "Pod", "default", "p"));
    }

    [Fact]
    public async Task AddLatency_MatchingRequestsDelayedAtLeastThatLong()
    {
        Api.Faults.AddLatency(TimeSpan.FromMilliseconds(300), new KubeRequestMatch("get", "services"));
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("s"), "default");

        var watch = Stopwatch.StartNew();
        await Client.CoreV1.ReadNamespacedServiceAsync("s", "default");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Clear_RemovesPendingFailures()
    {
        Api.Faults.FailNext(5, 500);

        Api.Faults.Clear();

        await Client.CoreV1.ListNamespacedPodAsync("default");
        Assert.Equal(0, Api.Faults.InjectedFailures);
    }

    [Fact]
    public void FailNext_UnsupportedStatus_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Api.Faults.FailNext(1, 404));
    }
}

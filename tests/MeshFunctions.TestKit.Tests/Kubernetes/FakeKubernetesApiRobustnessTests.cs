using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiRobustnessTests : FakeKubernetesApiTestBase
{
    [Theory]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/json", "[1,2]", 400)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/json", "null", 400)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{\"metadata\":[]}", 400)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":1}}}", 400)]
    [InlineData("POST", "/api/v1/namespaces/default/secrets", "application/json", "{\"metadata\":{\"name\":\"a\"},\"stringData\":{\"k\":2}}", 400)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf", "\u0000", 415)]
    [InlineData("PATCH", "/api/v1/namespaces/default/services/seed", "application/json-patch+json", "{\"op\":\"add\"}", 400)]
    [InlineData("PATCH", "/api/v1/namespaces/default/services/seed", "application/json-patch+json", "[{\"op\":\"nope\",\"path\":\"/a\"}]", 422)]
    [InlineData("PATCH", "/api/v1/namespaces/default/services/seed", "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/spec/ports/7\"}]", 422)]
    [InlineData("PATCH", "/api/v1/namespaces/default/services/seed", "application/merge-patch+json", "[]", 400)]
    [InlineData("PATCH", "/api/v1/namespaces/default/services/seed", "text/plain", "{}", 415)]
    [InlineData("PUT", "/api/v1/namespaces/default/services", "application/json", "{}", 405)]
    [InlineData("POST", "/api/v1/namespaces/default/services/seed/status", "application/json", "{}", 405)]
    [InlineData("GET", "/api/v1/namespaces/default/configmaps/a/status", "", "", 404)]
    [InlineData("GET", "/api/v1/namespaces/default/services?limit=1&continue=garbage", "", "", 400)]
    [InlineData("GET", "/api/v1/namespaces/default/services?watch=true&resourceVersion=abc", "", "", 400)]
    [InlineData("GET", "/api/v1/namespaces/default/services?dryRun=All", "", "", 400)]
    public async Task BadRequest_AnsweredWithStatusAndNothingChanged(string method, string path, string contentType, string body, int expected)
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("seed"), "default");
        var before = Api.ResourceVersion;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Url + path);
        if (contentType.Length > 0)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());
        Assert.Equal("Failure", status.Status);
        Assert.Equal(expected, status.Code);
        Assert.Equal(before, Api.ResourceVersion);
    }

    [Fact]
    public async Task DeprecatedWatchPath_StreamsNewlineDelimitedEvents()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{Api.Url}/api/v1/watch/namespaces/default/services", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var line = await reader.ReadLineAsync().WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteCollection_WithSelector_DeletesOnlyMatching()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", Labels = new Dictionary<string, string> { ["gc"] = "yes" } } }, "default");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "default");

        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "gc=yes");

        Assert.Equal(["b"], (await Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Delete_PreconditionResourceVersionStale_Conflict409()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        created.Data = new Dictionary<string, string> { ["k"] = "v" };
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");

        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = created.Metadata.ResourceVersion } };
        await FailsWith(409, () => Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default", options));
    }

    [Fact]
    public async Task ConcurrentReadModifyWrite_WithRetryOnConflict_LosesNoUpdate()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "counter" }, Data = new Dictionary<string, string> { ["n"] = "0" } }, "default");

        async Task IncrementAsync()
        {
            while (true)
            {
                var current = await Client.CoreV1.ReadNamespacedConfigMapAsync("counter", "default");
                current.Data["n"] = (int.Parse(current.Data["n"], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    await Client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "counter", "default");
                    return;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                {
                    // Someone else wrote first: read again and retry, as a controller would.
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(IncrementAsync)));

        Assert.Equal("8", (await Client.CoreV1.ReadNamespacedConfigMapAsync("counter", "default")).Data["n"]);
        Assert.Equal(8, Api.Writes.Count(w => w.Verb == KubeWriteVerb.Update));
    }

    [Fact]
    public async Task WriteKubeconfig_ClientBuiltFromFile_ReachesServer()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fake-kubeconfig-{Guid.NewGuid():N}.yaml");
        try
        {
            Api.WriteKubeconfig(path);
            using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UseTls_ClientTrustingTheCertificate_ReachesServerOverHttps()
    {
        await using var tls = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseTls = true });
        using var client = tls.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");

        Assert.StartsWith("https://127.0.0.1:", tls.Url, StringComparison.Ordinal);
        Assert.Equal("a", created.Metadata.Name);
    }

    [Fact]
    public async Task UseTls_ClientWithoutTheCertificate_Rejected()
    {
        await using var tls = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseTls = true });
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = tls.Url });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
    }

    [Fact]
    public async Task FailNext_OnWatch_ClientSeesError()
    {
        Api.Faults.FailNext(1, 500, new KubeRequestMatch("watch"));
        var error = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

        using var watcher = Client.CoreV1.WatchListNamespacedService("default", onEvent: (_, _) => { }, onError: e => error.TrySetResult(e));

        var exception = await error.Task.WaitAsync(Patience);
        var http = Assert.IsType<HttpOperationException>(exception);
        Assert.Equal(HttpStatusCode.InternalServerError, http.Response.StatusCode);
    }
}

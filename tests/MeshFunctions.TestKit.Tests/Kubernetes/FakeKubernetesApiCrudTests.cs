using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiCrudTests : FakeKubernetesApiTestBase
{
    [Fact]
    public async Task Create_Service_ServerFillsUidResourceVersionGenerationAndTimestamp()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(Api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        var read = await Client.CoreV1.ReadNamespacedServiceAsync("web", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(80, read.Spec.Ports[0].Port);
    }

    [Fact]
    public async Task Create_Twice_Conflict409AlreadyExists()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");

        var error = await FailsWith(409, () => Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default"));

        var status = StatusOf(error);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("Failure", status.Status);
        Assert.Equal("services \"web\" already exists", status.Message);
        Assert.Equal("web", status.Details.Name);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("web_1")]
    [InlineData("web.v1")]
    public async Task Create_ServiceNameNotDns1123Label_Invalid422NamingTheField(string name)
    {
        var error = await FailsWith(422, () => Client.CoreV1.CreateNamespacedServiceAsync(Service(name), "default"));

        var status = StatusOf(error);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("metadata.name", status.Details.Causes.Single().Field);
        Assert.Contains("RFC 1123 label", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoNameNorGenerateName_Invalid422()
    {
        var pod = Pod("x");
        pod.Metadata.Name = null;

        var error = await FailsWith(422, () => Client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Equal("FieldValueRequired", StatusOf(error).Details.Causes.Single().Reason);
    }

    [Fact]
    public async Task Create_GenerateName_ServerAppendsSuffix()
    {
        var pod = Pod("x");
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "worker-";

        var created = await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.Matches("^worker-[a-z0-9]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Create_NamespaceInBodyDiffersFromUrl_BadRequest400()
    {
        var service = Service("web");
        service.Metadata.NamespaceProperty = "other";

        var error = await FailsWith(400, () => Client.CoreV1.CreateNamespacedServiceAsync(service, "default"));

        Assert.Equal("BadRequest", StatusOf(error).Reason);
    }

    [Fact]
    public async Task Create_KindOfAnotherResource_BadRequest400()
    {
        var pod = Pod("x");
        pod.ApiVersion = "apps/v1";

        await FailsWith(400, () => Client.CoreV1.CreateNamespacedPodAsync(pod, "default"));
    }

    [Fact]
    public async Task Create_WithResourceVersion_RejectedLikeTheStorageLayer()
    {
        var service = Service("web");
        service.Metadata.ResourceVersion = "12";

        var error = await FailsWith(500, () => Client.CoreV1.CreateNamespacedServiceAsync(service, "default"));

        var status = StatusOf(error);
        Assert.Equal("resourceVersion should not be set on objects to be created", status.Message);
        Assert.Null(status.Reason);
    }

    [Fact]
    public async Task Create_InvalidLabelValue_Invalid422()
    {
        var service = Service("web", new Dictionary<string, string> { ["app"] = new string('a', 64) });

        var error = await FailsWith(422, () => Client.CoreV1.CreateNamespacedServiceAsync(service, "default"));

        Assert.Equal("metadata.labels", StatusOf(error).Details.Causes.Single().Field);
    }

    [Fact]
    public async Task Get_Missing_NotFound404WithStatus()
    {
        var error = await FailsWith(404, () => Client.CoreV1.ReadNamespacedPodAsync("ghost", "default"));

        var status = StatusOf(error);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("pods", status.Details.Kind);
        Assert.Equal(404, status.Code);
    }

    [Fact]
    public async Task Delete_ThenGet_NotFound()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");

        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("p", "default");

        Assert.Equal("p", deleted.Metadata.Name);
        await FailsWith(404, () => Client.CoreV1.ReadNamespacedPodAsync("p", "default"));
        await FailsWith(404, () => Client.CoreV1.DeleteNamespacedPodAsync("p", "default"));
    }

    [Fact]
    public async Task Delete_ConfigMap_AnswersWithSuccessStatus()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");

        var status = await Client.CoreV1.DeleteNamespacedConfigMapAsync("c", "default");

        Assert.Equal("Success", status.Status);
        Assert.Equal("configmaps", status.Details.Kind);
        Assert.Equal(created.Metadata.Uid, status.Details.Uid);
    }

    [Fact]
    public async Task Delete_WithFinalizer_MarksThenRemovesWhenFinalizerCleared()
    {
        var pod = Pod("p");
        pod.Metadata.Finalizers = ["example.com/cleanup"];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var marked = await Client.CoreV1.DeleteNamespacedPodAsync("p", "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        var current = await Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        current.Metadata.Finalizers = [];
        await Client.CoreV1.ReplaceNamespacedPodAsync(current, "p", "default");

        await FailsWith(404, () => Client.CoreV1.ReadNamespacedPodAsync("p", "default"));
    }

    [Fact]
    public async Task Create_SecretStringData_StoredAsBase64Data()
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "s" },
            StringData = new Dictionary<string, string> { ["token"] = "abc" },
        };

        var created = await Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.Null(created.StringData);
        Assert.Equal("abc", Encoding.UTF8.GetString(created.Data["token"]));
    }

    [Fact]
    public async Task Post_MalformedJson_BadRequest400Status()
    {
        using var http = new HttpClient();
        using var content = new StringContent("{\"metadata\": {", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync($"{Api.Url}/api/v1/namespaces/default/configmaps", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());
        Assert.Equal("BadRequest", status.Reason);
    }

    [Fact]
    public async Task Post_BodyOverLimit_RequestEntityTooLarge413()
    {
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "big" },
            Data = new Dictionary<string, string> { ["blob"] = new string('x', (3 * 1024 * 1024) + 1) },
        };

        var error = await FailsWith(413, () => Client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default"));

        Assert.Equal("RequestEntityTooLarge", StatusOf(error).Reason);
        Assert.Null(Api.TryGet("v1", "ConfigMap", "default", "big"));
    }

    [Fact]
    public async Task Get_UnknownResourcePath_NotFound404()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{Api.Url}/apis/example.com/v1/namespaces/default/widgets");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

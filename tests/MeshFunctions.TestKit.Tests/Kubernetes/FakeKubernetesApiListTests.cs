using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiListTests : FakeKubernetesApiTestBase
{
    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("a", Labels("app=web", "tier=front")), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("b", Labels("app=web", "tier=back")), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("c", Labels("app=db")), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("d"), "default");
    }

    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web", "a,b")]
    [InlineData("app!=web", "c,d")]
    [InlineData("app in (web, db)", "a,b,c")]
    [InlineData("app notin (web)", "c,d")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c,d")]
    [InlineData("app=web,tier=back", "b")]
    [InlineData("", "a,b,c,d")]
    public async Task List_LabelSelector_MatchesLikeTheApiServer(string selector, string expected)
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default", labelSelector: selector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(s => s.Metadata.Name)));
    }

    [Fact]
    public async Task List_BadLabelSelector_BadRequest400()
    {
        await FailsWith(400, () => Client.CoreV1.ListNamespacedServiceAsync("default", labelSelector: "app in web"));
    }

    [Fact]
    public async Task List_FieldSelectorOnName_ReturnsThatObject()
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default", fieldSelector: "metadata.name=c");

        Assert.Equal("c", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task List_UnsupportedFieldSelector_BadRequest400()
    {
        var error = await FailsWith(400, () => Client.CoreV1.ListNamespacedServiceAsync("default", fieldSelector: "spec.type=ClusterIP"));

        Assert.Contains("field label not supported", StatusOf(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Pods_AcrossNamespacesWithSelector()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("p1", Labels("app=web")), "default");
        var other = Pod("p2", Labels("app=web"));
        other.Metadata.NamespaceProperty = "kube-system";
        await Client.CoreV1.CreateNamespacedPodAsync(other, "kube-system");
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("p3", Labels("app=db")), "default");

        var all = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=web");

        Assert.Equal(["default/p1", "kube-system/p2"], all.Items.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}"));
    }

    [Fact]
    public async Task List_ResourceVersion_IsTheCurrentGlobalVersion()
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default");

        Assert.Equal(Api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
        Assert.All(list.Items, s => Assert.Null(s.Kind));
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughInOrder()
    {
        var first = await Client.CoreV1.ListNamespacedServiceAsync("default", limit: 3);
        var second = await Client.CoreV1.ListNamespacedServiceAsync("default", limit: 3, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(["a", "b", "c"], first.Items.Select(s => s.Metadata.Name));
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.Equal(["d"], second.Items.Select(s => s.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task List_ContinueAfterCompaction_Expired410()
    {
        var first = await Client.CoreV1.ListNamespacedServiceAsync("default", limit: 2);
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("e"), "default");
        Api.CompactHistory();

        var error = await FailsWith(410, () => Client.CoreV1.ListNamespacedServiceAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal("Expired", StatusOf(error).Reason);
    }
}

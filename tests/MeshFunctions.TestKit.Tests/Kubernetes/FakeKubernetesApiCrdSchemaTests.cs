using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

/// <summary>CRDs applied to the fake validate and prune their custom resources, as kube-apiserver does.</summary>
public sealed class FakeKubernetesApiCrdSchemaTests : FakeKubernetesApiTestBase
{
    private const string Group = "example.com";

    private static readonly string WidgetCrd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced",
          "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
           "schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","required":["size"],"properties":{
              "size":{"type":"integer","minimum":1,"maximum":10},
              "color":{"type":"string","enum":["red","blue"]},
              "name":{"type":"string","pattern":"^[a-z]+$","maxLength":8},
              "note":{"type":"string","nullable":true},
              "port":{"x-kubernetes-int-or-string":true},
              "labels":{"type":"object","additionalProperties":{"type":"string"}},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
              "items":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["key"],
                "items":{"type":"object","required":["key"],"properties":{"key":{"type":"string"},"value":{"type":"integer"}}}}}},
            "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]}}
        """;

    private GenericClient Widgets => new(Client, Group, "v1", "widgets", disposeClient: false);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(WidgetCrd));
    }

    [Fact]
    public async Task Create_ValidWidget_StoredAndServedAfterCrdApplied()
    {
        var created = await Create(Widget("a", """{"size":3,"color":"red","note":null,"port":"http","labels":{"x":"y"},"items":[{"key":"a","value":1}]}"""));

        Assert.Equal(3, (int)created["spec"]!["size"]!);
        Assert.NotNull(Api.TryGet("example.com/v1", "Widget", "default", "a"));
    }

    [Fact]
    public async Task Create_WrongTypeMissingRequiredBadEnum_Invalid422WithEveryFieldPath()
    {
        var error = await FailsWith(422, () => Create(Widget("a", """{"color":"green","name":"Upper","port":true,"labels":{"x":1}}""")));

        var status = StatusOf(error);
        Assert.Equal("Invalid", status.Reason);
        var causes = status.Details.Causes.Select(c => (c.Field, c.Reason)).ToList();
        Assert.Contains(("spec.size", "FieldValueRequired"), causes);
        Assert.Contains(("spec.color", "FieldValueNotSupported"), causes);
        Assert.Contains(("spec.name", "FieldValueInvalid"), causes);
        Assert.Contains(("spec.port", "FieldValueTypeInvalid"), causes);
        Assert.Contains(("spec.labels.x", "FieldValueTypeInvalid"), causes);
        Assert.StartsWith("Widget.example.com \"a\" is invalid: [", status.Message, StringComparison.Ordinal);
        Assert.Null(Api.TryGet("example.com/v1", "Widget", "default", "a"));
    }

    [Theory]
    [InlineData("""{"size":0}""", "spec.size", "should be greater than or equal to 1")]
    [InlineData("""{"size":11}""", "spec.size", "should be less than or equal to 10")]
    [InlineData("""{"size":"3"}""", "spec.size", "in body must be of type integer: \"string\"")]
    [InlineData("""{"size":1,"name":"abcdefghi"}""", "spec.name", "Too long: may not be more than 8 bytes")]
    [InlineData("""{"size":1,"items":[{"key":"a"},{"key":"a"}]}""", "spec.items[1]", "Duplicate value: {\"key\":\"a\"}")]
    [InlineData("""{"size":1,"items":[{"value":2}]}""", "spec.items[0].key", "Required value")]
    public async Task Create_OneBadField_Invalid422NamesFieldAndRule(string spec, string field, string message)
    {
        var error = await FailsWith(422, () => Create(Widget("a", spec)));

        var cause = Assert.Single(StatusOf(error).Details.Causes);
        Assert.Equal(field, cause.Field);
        Assert.Contains(message, cause.Message, StringComparison.Ordinal);
        Assert.Contains($"{field}: ", StatusOf(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownFields_PrunedUnlessPreserved()
    {
        var created = await Create(Widget("a", """{"size":1,"typo":1,"free":{"anything":{"goes":true}},"items":[{"key":"k","extra":"x"}]}"""));

        var spec = created["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("typo"));
        Assert.True((bool)spec["free"]!["anything"]!["goes"]!);
        Assert.False(spec["items"]![0]!.AsObject().ContainsKey("extra"));
        Assert.False(Api.TryGet("example.com/v1", "Widget", "default", "a")!["spec"]!.AsObject().ContainsKey("typo"));
    }

    [Fact]
    public async Task PatchAndStatus_InvalidValue_Invalid422AndObjectUnchanged()
    {
        await Create(Widget("a", """{"size":1}"""));

        var patch = new V1Patch("""{"spec":{"size":99}}""", V1Patch.PatchType.MergePatch);
        await FailsWith(422, () => Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, "v1", "default", "widgets", "a"));
        var statusPatch = new V1Patch("""{"status":{"phase":7}}""", V1Patch.PatchType.MergePatch);
        var error = await FailsWith(422, () => Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, Group, "v1", "default", "widgets", "a"));

        Assert.Equal("status.phase", StatusOf(error).Details.Causes.Single().Field);
        Assert.Equal(1, (int)Api.TryGet("example.com/v1", "Widget", "default", "a")!["spec"]!["size"]!);
    }

    [Fact]
    public async Task Create_CrdWithoutVersionsOrWrongName_Invalid422()
    {
        var crd = JsonNode.Parse(WidgetCrd)!.AsObject();
        crd["metadata"]!["name"] = "gadgets.example.com";
        crd["spec"]!.AsObject().Remove("versions");

        var error = await FailsWith(422, () => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString())));

        var fields = StatusOf(error).Details.Causes.Select(c => c.Field).ToList();
        Assert.Contains("spec.versions", fields);
        Assert.Contains("metadata.name", fields);
    }

    [Fact]
    public async Task Create_KindWithoutAppliedCrd_NotValidated()
    {
        var body = JsonNode.Parse("""{"apiVersion":"router.service-mesh.zhihu.com/v1","kind":"Router","metadata":{"name":"r"},"spec":{"port":"not-a-number"}}""");

        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "router.service-mesh.zhihu.com", "v1", "default", "routers");

        Assert.NotNull(Api.TryGet("router.service-mesh.zhihu.com/v1", "Router", "default", "r"));
    }

    private static JsonObject Widget(string name, string spec) => new()
    {
        ["apiVersion"] = Group + "/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = JsonNode.Parse(spec),
    };

    private async Task<JsonObject> Create(JsonObject widget)
    {
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, "v1", "default", "widgets");
        return JsonNode.Parse(JsonSerializer.Serialize(created))!.AsObject();
    }
}

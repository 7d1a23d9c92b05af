using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>The validator the chart tests rely on fails on what a real API server would reject or prune.</summary>
public sealed class RenderedObjectValidatorTests
{
    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicaz: 2, selector: {}, template: {}}", "replicaz")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: two, selector: {}, template: {}}", "replicas")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, targetPortt: http}]}", "targetPortt")]
    [InlineData("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: istio-system}\nspec: {egres: [{hosts: ['./*']}]}", "pruned")]
    [InlineData("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: istio-system}\nspec: {egress: [{hosts: 5}]}", "spec.egress[0].hosts")]
    [InlineData("apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: r, namespace: a}\nspec: {port: 0, subsets: [{branch: master}]}", "spec.port")]
    [InlineData("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}", "no schema")]
    public async Task Validate_BadObject_Reported(string yaml, string expected)
    {
        var obj = YamlReader.Read(yaml).Select(d => d.Root).OfType<JsonObject>().Single();

        var errors = await RenderedObjectValidator.ValidateAsync([obj]);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}

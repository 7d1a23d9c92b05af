using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Rendering;

public sealed class RouterRendererGoldenTests
{
    public static TheoryData<string> Cases => RouterCases.All;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_MatchesGolden(string @case)
    {
        var rendered = RouterCases.Render(@case);

        Golden.Verify(RouterCases.Suite, @case, YamlWriter.WriteDocuments(rendered.All));
    }

    [IstioSchemaTheory]
    [MemberData(nameof(Cases))]
    public void Render_Case_IstioObjectsPassIstioSchema(string @case)
    {
        var rendered = RouterCases.Render(@case);

        foreach (var obj in rendered.DestinationRules.Append(rendered.VirtualService))
        {
            Assert.Equal(RouterRenderer.IstioApiVersion, (string?)obj["apiVersion"]);
            Assert.Empty(IstioSchemas.Validate(obj));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_ServicesAreWellFormed(string @case)
    {
        var router = RouterCases.ReadRouter(@case);
        var rendered = RouterCases.Render(@case);

        Assert.Equal(router.Spec.Subsets.Count + 1, rendered.Services.Count);
        foreach (var service in rendered.Services)
        {
            Assert.Equal("v1", (string?)service["apiVersion"]);
            Assert.Equal("Service", (string?)service["kind"]);
            var name = (string?)service["metadata"]!["name"];
            Assert.True(Core.Resources.Names.IsDns1123Label(name), $"Service name '{name}' is not a DNS-1123 label");
            Assert.True(Core.Resources.Names.IsDns1123Label((string?)service["metadata"]!["namespace"]));
            var port = Assert.IsType<JsonObject>(Assert.Single(Assert.IsType<JsonArray>(service["spec"]!["ports"])));
            Assert.Equal(router.Spec.Port, (int)port["port"]!);
            Assert.Equal(router.Spec.Port, (int)port["targetPort"]!);
            Assert.Equal("TCP", (string?)port["protocol"]);
            Assert.StartsWith((string?)port["appProtocol"] + "-", (string?)port["name"], StringComparison.Ordinal);
            var selector = Assert.IsType<JsonObject>(service["spec"]!["selector"]);
            Assert.Equal(router.Metadata.Name, (string?)selector["app"]);
        }

        // The own Service selects every pod of the service; each branch Service adds its branch.
        Assert.Single(rendered.Services[0]["spec"]!["selector"]!.AsObject());
        Assert.All(rendered.Services.Skip(1), s => Assert.Equal(2, s["spec"]!["selector"]!.AsObject().Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_EveryRoutedSubsetIsDefined(string @case)
    {
        var rendered = RouterCases.Render(@case);

        Assert.Empty(Core.Planning.SubsetReferences.FindMissing(rendered.All.ToList()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_SubsetAndRouteNamesAreDns1123Labels(string @case)
    {
        var rendered = RouterCases.Render(@case);

        // Istio's validation (not its CRD schema) rejects subset names that are not DNS-1123 labels.
        foreach (var rule in rendered.DestinationRules)
        {
            Assert.All(rule["spec"]!["subsets"]!.AsArray(), s => Assert.True(Core.Resources.Names.IsDns1123Label((string?)s!["name"]), $"subset '{s!["name"]}'"));
        }
    }
}

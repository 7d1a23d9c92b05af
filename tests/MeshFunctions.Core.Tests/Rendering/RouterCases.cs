using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Rendering;

/// <summary>The golden cases under <c>testassets/router</c>: a Router in input.yaml, optional render options in options.yaml.</summary>
internal static class RouterCases
{
    public const string Suite = "router";

    public static TheoryData<string> All => Golden.Cases(Suite);

    public static Router ReadRouter(string @case)
    {
        var manifests = ManifestParser.ParseOrThrow(Golden.ReadInput(Suite, @case), $"{@case}/input.yaml");
        return Assert.IsType<Router>(Assert.Single(manifests).Resource);
    }

    /// <summary>Default options, with <c>gateways</c> and <c>clusterDomain</c> taken from options.yaml when the case has one.</summary>
    public static RenderOptions ReadOptions(string @case)
    {
        var path = Path.Combine(Golden.AssetsRoot(), Suite, @case, "options.yaml");
        if (!File.Exists(path))
        {
            return RenderOptions.Default;
        }

        var root = Assert.IsType<JsonObject>(Assert.Single(YamlReader.Read(File.ReadAllText(path), path)).Root);
        var options = RenderOptions.Default;
        if (root["gateways"] is JsonArray gateways)
        {
            options = options with { Gateways = gateways.Select(g => (string)g!).ToList() };
        }

        if (root["clusterDomain"] is JsonValue domain)
        {
            options = options with { ClusterDomain = (string)domain! };
        }

        return options;
    }

    public static RenderedRouter Render(string @case) => RouterRenderer.Render(ReadRouter(@case), ReadOptions(@case));
}

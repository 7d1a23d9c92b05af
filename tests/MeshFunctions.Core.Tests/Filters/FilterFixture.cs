using System.Text.Json.Nodes;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Filters;

/// <summary>
/// Reads a filter case: its IstioFilters, and the Router they patch rendered by <see cref="RouterRenderer"/> (the
/// case's own Router when it has one, else <c>testassets/filters/base-router.yaml</c>). A case that also brings a
/// VirtualService and DestinationRules uses those instead of rendering.
/// </summary>
internal static class FilterFixture
{
    public const string Suite = "filters";

    public static (RenderedRouter Rendered, IReadOnlyList<IstioFilter> Filters) LoadCase(string @case) =>
        Load(Golden.ReadInput(Suite, @case), @case + "/input.yaml");

    public static RenderedRouter LoadBase() =>
        Rendered(ManifestParser.ParseOrThrow(File.ReadAllText(Path.Combine(Golden.AssetsRoot(), Suite, "base-router.yaml")), "base-router.yaml"));

    public static (RenderedRouter Rendered, IReadOnlyList<IstioFilter> Filters) Load(string text, string file)
    {
        var manifests = ManifestParser.ParseOrThrow(text, file);
        var filters = manifests.Select(m => m.Resource).OfType<IstioFilter>().ToList();
        var rendered = manifests.Any(m => m.Resource is Router) ? Rendered(manifests) : LoadBase();
        return (rendered, filters);
    }

    public static IstioFilter ParseFilter(string yaml) =>
        Assert.IsType<IstioFilter>(Assert.Single(ManifestParser.ParseOrThrow(yaml, "filter.yaml")).Resource);

    /// <summary>Patched VS, DRs, extra objects, then one document listing every outcome.</summary>
    public static string Write(FilterResult result)
    {
        var outcomes = new JsonArray();
        foreach (var o in result.Outcomes)
        {
            var diagnostics = new JsonArray();
            foreach (var d in o.Diagnostics)
            {
                diagnostics.Add(d.ToString());
            }

            outcomes.Add(new JsonObject
            {
                ["filter"] = o.Filter.Metadata.NamespaceOrDefault + "/" + o.Filter.Metadata.Name,
                ["status"] = o.Status.ToString(),
                ["diagnostics"] = diagnostics,
            });
        }

        var docs = new List<JsonNode?> { result.VirtualService };
        docs.AddRange(result.DestinationRules);
        docs.AddRange(result.ExtraObjects);
        docs.Add(new JsonObject { ["outcomes"] = outcomes });
        return YamlWriter.WriteDocuments(docs);
    }

    private static RenderedRouter Rendered(IReadOnlyList<Manifest> manifests)
    {
        var router = manifests.Select(m => m.Resource).OfType<Router>().Single();
        if (!manifests.Any(m => m.Kind == "VirtualService"))
        {
            return RouterRenderer.Render(router);
        }

        var vs = manifests.Single(m => m.Kind == "VirtualService").Object;
        var drs = manifests.Where(m => m.Kind == "DestinationRule").Select(m => m.Object).ToList();
        return new RenderedRouter(router, [], vs, drs);
    }
}

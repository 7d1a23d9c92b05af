using System.Text.Json.Nodes;
using MeshFunctions.Cli.Input;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// One side of <c>plan</c>: the objects of a file or directory, with its Routers, IstioFilters and RateLimits
/// replaced by what they render to, so rendered output and sources can be compared alike.
/// </summary>
internal static class StateLoader
{
    public static IReadOnlyList<JsonObject> Load(InputReader reader, string path, RenderSettings settings, List<Diagnostic> diagnostics)
    {
        var input = reader.Read([path]);
        diagnostics.AddRange(input.Diagnostics);
        if (input.HasErrors)
        {
            return [];
        }

        var rendered = RenderPipeline.Render(input.Manifests, settings, diagnostics);
        return [.. input.Manifests.Where(m => m.Resource is null).Select(m => m.Object), .. rendered.Objects];
    }
}

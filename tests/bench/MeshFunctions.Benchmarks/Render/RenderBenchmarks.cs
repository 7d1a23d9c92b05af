using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Benchmarks.Render;

/// <summary>
/// Render + patch + serialize 2,000 Routers with 5 IstioFilters each, against the unavoidable part: serializing the
/// same output objects (Baseline). Goal: ratio ≤ 2. <see cref="RenderPatchSerialize"/> streams (each Router's
/// objects are serialized as soon as they are patched); <see cref="RenderPatchThenSerialize"/> first materializes all
/// objects, then serializes them, to show what keeping ~14,000 object trees alive costs in GC.
/// <see cref="RenderOnly"/> and <see cref="RenderPatch"/> break the cost down.
/// Run: <c>dotnet run -c Release --project tests/bench/MeshFunctions.Benchmarks -- --filter '*Render*'</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class RenderBenchmarks
{
    private RenderInputs _inputs = null!;
    private List<JsonObject> _output = null!;

    [Params(2000)]
    public int Routers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inputs = RenderInputs.Create(Routers);
        _output = RenderAndPatch();

        // The methods must produce the same text, or the ratio compares different work.
        if (Stream().ToString() != YamlWriter.WriteDocuments(_output))
        {
            throw new InvalidOperationException("streamed and materialized outputs differ");
        }
    }

    /// <summary>Only YamlWriter.WriteDocuments of the pre-rendered, pre-patched objects.</summary>
    [Benchmark(Baseline = true)]
    public int SerializeOnly() => Serialize(_output);

    /// <summary>The whole job, streaming: render each Router, patch its IstioFilters on, append its objects' YAML.</summary>
    [Benchmark]
    public int RenderPatchSerialize() => Stream().Length;

    /// <summary>The whole job, materialized: every object kept first (as check and plan need them), then one serialization.</summary>
    [Benchmark]
    public int RenderPatchThenSerialize() => Serialize(RenderAndPatch());

    private StringBuilder Stream()
    {
        var sb = new StringBuilder(_output.Count * 700);
        var first = true;
        foreach (var (router, filters) in _inputs.Routers)
        {
            var patched = IstioFilterEngine.RenderAndApply(router, filters, RenderOptions.Default);
            if (!first)
            {
                sb.Append("---\n");
            }

            first = false;
            YamlWriter.WriteDocuments(sb, patched.All);
        }

        return sb;
    }

    /// <summary>Breakdown: rendering alone.</summary>
    [Benchmark]
    public int RenderOnly()
    {
        var count = 0;
        foreach (var (router, _) in _inputs.Routers)
        {
            count += RouterRenderer.Render(router, RenderOptions.Default).DestinationRules.Count;
        }

        return count;
    }

    /// <summary>Breakdown: rendering and patching, without serialization.</summary>
    [Benchmark]
    public int RenderPatch() => RenderAndPatch().Count;

    private static int Serialize(List<JsonObject> objects)
    {
        var sb = new StringBuilder(objects.Count * 700);
        YamlWriter.WriteDocuments(sb, objects);
        return sb.Length;
    }

    private List<JsonObject> RenderAndPatch()
    {
        var objects = new List<JsonObject>(_inputs.Routers.Count * 12);
        foreach (var (router, filters) in _inputs.Routers)
        {
            objects.AddRange(IstioFilterEngine.RenderAndApply(router, filters, RenderOptions.Default).All);
        }

        return objects;
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// One golden case of <c>testassets/inject</c>: <c>input.yaml</c> plus an optional <c>options.yaml</c>
/// (<c>revision</c>, <c>nativeSidecars</c>, <c>nodePoolLocalities</c>, <c>context.selectedByService</c>, <c>context.nodePool</c>).
/// </summary>
internal sealed record InjectCase(JsonObject Input, WorkloadMutator Mutator, MutationContext Context)
{
    public const string Suite = "inject";

    public static InjectCase Load(string name)
    {
        var input = (JsonObject)YamlReader.Read(Golden.ReadInput(Suite, name)).Single().Root!;
        var options = new InjectionOptions();
        var context = MutationContext.Empty;
        var optionsFile = Path.Combine(Golden.AssetsRoot(), Suite, name, "options.yaml");
        if (File.Exists(optionsFile) && YamlReader.Read(File.ReadAllText(optionsFile)).Single().Root is JsonObject o)
        {
            options.Revision = (string?)o["revision"];
            if ((string?)o["nativeSidecars"] is { } native)
            {
                options.NativeSidecars = Enum.Parse<NativeSidecarMode>(native);
            }

            foreach (var (pool, locality) in o["nodePoolLocalities"] as JsonObject ?? [])
            {
                options.NodePoolLocalities[pool] = (string)locality!;
            }

            if (o["context"] is JsonObject c)
            {
                context = new MutationContext { SelectedByService = (bool?)c["selectedByService"], NodePool = (string?)c["nodePool"] };
            }
        }

        return new InjectCase(input, new WorkloadMutator(options), context);
    }
}

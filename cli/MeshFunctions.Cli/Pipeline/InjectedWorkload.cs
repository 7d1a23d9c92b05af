using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>One workload of the input and what the mutating webhook decided for it.</summary>
internal sealed record InjectedWorkload(Manifest Source, MutationResult Result)
{
    public JsonObject Mutated => Result.Mutated;

    /// <summary>The <c>--patch</c> view: which object, whether its pods are injected, and the RFC 6902 operations.</summary>
    public JsonObject PatchDocument() => new()
    {
        ["object"] = Source.Subject,
        ["injected"] = Result.Injected,
        ["patch"] = new JsonArray(Result.Patch.Select(op => (JsonNode)op.ToJson()).ToArray()),
    };
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class WorkloadMutatorGoldenTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Cases => Golden.Cases(InjectCase.Suite);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutate_GoldenCase_MatchesExpectedObjectPatchAndWarnings(string name)
    {
        var c = InjectCase.Load(name);

        var result = c.Mutator.Mutate(c.Input, c.Context);

        Assert.True(result.Allowed, result.Reason);
        Golden.Verify(InjectCase.Suite, name, YamlWriter.Write(result.Mutated));
        Golden.Verify(InjectCase.Suite, name, PatchText(result.Patch), "expected-patch.json");
        Golden.Verify(InjectCase.Suite, name, string.Concat(result.Warnings.Select(w => w + "\n")), "expected-warnings.txt");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MutateOwned_GoldenCase_GivesTheSameObjectWarningsAndDecisionInPlace(string name)
    {
        var c = InjectCase.Load(name);
        var copy = (JsonObject)c.Input.DeepClone();

        var owned = c.Mutator.MutateOwned(copy, c.Context);

        Assert.True(owned.Allowed, owned.Reason);
        Assert.Same(copy, owned.Mutated);
        Assert.Equal(PatchText(c.Mutator.Mutate(c.Input, c.Context).Patch), PatchText(owned.Patch));
        Golden.Verify(InjectCase.Suite, name, YamlWriter.Write(owned.Mutated));
        Golden.Verify(InjectCase.Suite, name, string.Concat(owned.Warnings.Select(w => w + "\n")), "expected-warnings.txt");
        Assert.Equal(c.Mutator.Mutate(c.Input, c.Context).Injected, owned.Injected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutate_PatchAppliedToInput_GivesMutatedObject(string name)
    {
        var c = InjectCase.Load(name);

        var result = c.Mutator.Mutate(c.Input, c.Context);
        var applied = JsonPatch.Apply(c.Input, result.Patch);

        Assert.True(JsonNode.DeepEquals(result.Mutated, applied), YamlWriter.Write(applied));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutate_Reinvoked_GivesEmptyPatch(string name)
    {
        var c = InjectCase.Load(name);
        var first = c.Mutator.Mutate(c.Input, c.Context);
        var applied = (JsonObject)JsonPatch.Apply(c.Input, first.Patch)!;

        var second = c.Mutator.Mutate(applied, c.Context);

        Assert.True(second.Allowed, second.Reason);
        Assert.Empty(second.Patch);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutate_GoldenCase_LeavesInputUnchanged(string name)
    {
        var c = InjectCase.Load(name);
        var before = c.Input.DeepClone();

        c.Mutator.Mutate(c.Input, c.Context);

        Assert.True(JsonNode.DeepEquals(before, c.Input));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutate_GoldenCase_WarningsFitAdmissionLimits(string name)
    {
        var c = InjectCase.Load(name);

        var result = c.Mutator.Mutate(c.Input, c.Context);

        // The API server passes warnings as Warning: 299 headers; keep each within 120 characters, no prefix.
        Assert.All(result.Warnings, w => Assert.True(w.Length <= 120 && !w.StartsWith("Warning", StringComparison.Ordinal), w));
    }

    private static string PatchText(IReadOnlyList<JsonPatchOperation> patch) =>
        new JsonArray(patch.Select(op => (JsonNode?)op.ToJson()).ToArray()).ToJsonString(Indented) + "\n";
}

namespace MeshFunctions.Infra.Tests.Crds;

/// <summary>
/// The CRD files under infra/crds and the chart's crds/ are exactly what core's models generate, so the schema
/// cannot drift from the parser: a field added to a model fails this test until the files are regenerated
/// (<c>MF_UPDATE_CRDS=1</c>).
/// </summary>
public sealed class CrdGenerationTests
{
    public static TheoryData<string> Kinds => [.. CrdDefinitions.All.Select(d => d.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CrdFiles_MatchCoreModels_Exactly(string kind)
    {
        var definition = CrdDefinitions.All.Single(d => d.Kind == kind);
        var expected = CrdGenerator.Render(definition);
        string[] paths =
        [
            Path.Combine(RepoPaths.Infra, "crds", definition.FileName),
            Path.Combine(RepoPaths.Chart, "crds", definition.FileName),
        ];
        foreach (var path in paths)
        {
            if (Environment.GetEnvironmentVariable("MF_UPDATE_CRDS") == "1")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, expected);
            }

            Assert.True(File.Exists(path), $"{path} is missing: run MF_UPDATE_CRDS=1 dotnet test --filter CrdGenerationTests");
            var actual = File.ReadAllText(path);
            Assert.True(expected == actual, $"{path} differs from what core's {kind} model generates: run MF_UPDATE_CRDS=1 dotnet test --filter CrdGenerationTests and review the diff");
        }
    }

    [Fact]
    public void Generator_ConstraintOnMissingField_Throws()
    {
        var router = CrdDefinitions.All.Single(d => d.Kind == "Router");
        var broken = router with { Constraints = new Dictionary<string, System.Text.Json.Nodes.JsonObject>(router.Constraints) { ["spec.weight"] = new() { ["minimum"] = 0 } } };

        var error = Assert.Throws<InvalidOperationException>(() => CrdGenerator.Build(broken));

        Assert.Contains("spec.weight", error.Message, StringComparison.Ordinal);
    }
}

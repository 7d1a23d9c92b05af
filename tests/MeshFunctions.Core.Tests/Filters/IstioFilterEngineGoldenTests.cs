using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Tests.Infrastructure;

namespace MeshFunctions.Core.Tests.Filters;

public sealed class IstioFilterEngineGoldenTests
{
    public static TheoryData<string> Cases => Golden.Cases(FilterFixture.Suite);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_Case_MatchesGolden(string @case)
    {
        var (rendered, filters) = FilterFixture.LoadCase(@case);

        var result = IstioFilterEngine.Apply(rendered, filters);

        Golden.Verify(FilterFixture.Suite, @case, FilterFixture.Write(result));
    }

    [IstioSchemaTheory]
    [MemberData(nameof(Cases))]
    public void Apply_Case_EveryObjectValidatesAgainstIstioSchemas(string @case)
    {
        var (rendered, filters) = FilterFixture.LoadCase(@case);

        var result = IstioFilterEngine.Apply(rendered, filters);

        var findings = result.All
            .SelectMany(o => IstioSchemas.Validate(o).Select(f => $"{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}: {f}"))
            .ToList();
        Assert.Empty(findings);
    }
}

using CsCheck;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Filters;

public sealed class IstioFilterEnginePropertyTests
{
    private const int FeatureCount = 14;

    private static readonly DateTimeOffset?[] Timestamps = [null, new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)];

    private static readonly FilterSelector?[] Selectors =
    [
        null,
        new() { Branches = ["master"] },
        new() { Branches = ["box-0999"] },
        new() { Routes = ["master--default"] },
    ];

    /// <summary>(priority, timestamp, selector, feature bits, value variant) per filter; few values so they overlap.</summary>
    private static readonly Gen<(int, int, int, int, int)> FilterSeed =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[1, (1 << FeatureCount) - 1], Gen.Int[0, 1]);

    private static readonly Gen<((int, int, int, int, int)[] Seeds, int[] Keys)> FilterSets =
        Gen.Select(FilterSeed.Array[1, 7], Gen.Int.Array[7]);

    [Fact]
    public void Apply_AnyPermutationOfFilters_GivesIdenticalOutputAndConflicts()
    {
        var rendered = FilterFixture.LoadBase();
        FilterSets.Sample(set =>
        {
            var filters = set.Seeds.Select((s, i) => Build(i, s)).ToArray();
            var shuffled = filters.Select((f, i) => (f, k: set.Keys[i])).OrderBy(p => p.k).Select(p => p.f).ToArray();

            var expected = FilterFixture.Write(IstioFilterEngine.Apply(rendered, filters));

            Assert.Equal(expected, FilterFixture.Write(IstioFilterEngine.Apply(rendered, shuffled)));
            Assert.Equal(expected, FilterFixture.Write(IstioFilterEngine.Apply(rendered, filters.Reverse())));
        });
    }

    [Fact]
    public void Apply_AnyFilters_ConflictWinnerAlwaysAppliesAfterLoser()
    {
        var rendered = FilterFixture.LoadBase();
        FilterSets.Sample(set =>
        {
            var filters = set.Seeds.Select((s, i) => Build(i, s)).ToArray();

            var outcomes = IstioFilterEngine.Apply(rendered, filters).Outcomes;

            var position = outcomes.Select((o, i) => (o.Filter, i)).ToDictionary(p => p.Filter, p => p.i);
            foreach (var (outcome, i) in outcomes.Select((o, i) => (o, i)))
            {
                Assert.Equal(outcome.Conflicts.Count(), outcome.Overrides.Count);
                foreach (var (conflict, warning) in outcome.Overrides.Zip(outcome.Conflicts))
                {
                    Assert.True(position[conflict.Winner] > i, $"{outcome.Filter.Metadata.Name} lost to {conflict.Winner.Metadata.Name}, which applies earlier");
                    Assert.Equal(conflict.Path, warning.Path);
                }
            }
        });
    }

    [Fact]
    public void RenderAndApply_AnyFilters_SameObjectsAndOutcomesAsRenderThenApply()
    {
        var router = FilterFixture.LoadBase().Router;
        FilterSets.Sample(set =>
        {
            var filters = set.Seeds.Select((s, i) => Build(i, s)).ToArray();
            var rendered = RouterRenderer.Render(router, RenderOptions.Default);

            var expected = IstioFilterEngine.Apply(rendered, filters, RenderOptions.Default);
            var patched = IstioFilterEngine.RenderAndApply(router, filters, RenderOptions.Default);

            Assert.Equal(FilterFixture.Write(expected), FilterFixture.Write(patched.Filters));
            Assert.Equal(YamlWriter.WriteDocuments(rendered.Services.Concat(expected.All)), YamlWriter.WriteDocuments(patched.All));
        });
    }

    private static IstioFilter Build(int index, (int Priority, int Timestamp, int Selector, int Features, int Variant) seed)
    {
        bool Has(int bit) => (seed.Features & (1 << bit)) != 0;
        var v = seed.Variant;
        return new IstioFilter
        {
            Metadata = new ObjectMeta { Name = "f" + index, Namespace = "sm-verify", CreationTimestamp = Timestamps[seed.Timestamp] },
            Spec = new IstioFilterSpec
            {
                TargetRef = new TargetRef { Name = "sm-verify-web" },
                Priority = seed.Priority,
                Selector = Selectors[seed.Selector],
                Retries = Has(0) ? new FilterRetries { Attempts = v + 1 } : null,
                Timeout = Has(1) ? (v + 1) + "s" : null,
                Fault = Has(2) ? new FilterFault { Abort = new FilterFaultAbort { HttpStatus = 500 + v, Percentage = new FilterPercent { Value = 1 } } } : null,
                Mirror = Has(3) ? new FilterMirror { Branch = v == 0 ? "box-0999" : "master", Percentage = new FilterPercent { Value = 10 } } : null,
                Headers = Has(4) ? new FilterHeaders { Request = new FilterHeaderOperations { Set = new() { ["x-a"] = "v" + v }, Remove = ["x-b"] } } : null,
                CorsPolicy = Has(5) ? new FilterCorsPolicy { AllowOrigins = [new FilterStringMatch { Exact = "https://a" + v }] } : null,
                ConnectionPool = Has(6) ? new FilterConnectionPool { Http = new FilterHttpSettings { MaxRetries = v } } : null,
                OutlierDetection = Has(7) ? new FilterOutlierDetection { Consecutive5xxErrors = 5 + v } : null,
                LoadBalancer = Has(8) ? new FilterLoadBalancer { Simple = v == 0 ? "ROUND_ROBIN" : "LEAST_REQUEST" } : null,
                Authorization = Has(9) ? new FilterAuthorization { Namespaces = ["ns" + v] } : null,
                Blacklist = Has(10) ? new FilterBlacklist { IpBlocks = ["10.0.0." + v] } : null,
                LocalRateLimit = Has(11) ? new FilterLocalRateLimit { TokensPerFill = 100 + v } : null,
                AccessLog = Has(12) ? new FilterAccessLog { Enabled = v == 0 } : null,
                HostPassthrough = Has(13) ? new FilterHostPassthrough { Header = "x-h" + v } : null,
            },
        };
    }
}

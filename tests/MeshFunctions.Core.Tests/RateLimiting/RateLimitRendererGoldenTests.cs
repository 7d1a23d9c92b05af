using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.RateLimiting;

public sealed class RateLimitRendererGoldenTests
{
    private const string Suite = "ratelimit";

    public static TheoryData<string> Cases => Golden.Cases(Suite);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_MatchesGoldenEnvoyFilters(string @case)
    {
        var result = RenderCase(@case);

        Assert.Empty(result.Diagnostics);
        Golden.Verify(Suite, @case, YamlWriter.WriteDocuments(result.EnvoyFilters));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_MatchesGoldenRlsConfig(string @case)
    {
        var result = RenderCase(@case);

        Golden.Verify(Suite, @case, RlsConfigYaml.Write(result.RlsConfig), "expected-rls.yaml");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_EnvoyFilterYamlReadsBackAsTheSameJson(string @case)
    {
        var result = RenderCase(@case);

        var read = YamlReader.Read(YamlWriter.WriteDocuments(result.EnvoyFilters));

        Assert.Equal(result.EnvoyFilters.Select(f => f.ToJsonString()), read.Select(d => d.Root!.ToJsonString()));
    }

    [IstioSchemaTheory]
    [MemberData(nameof(Cases))]
    public void Render_Case_EveryEnvoyFilterIsValidForIstio(string @case)
    {
        var result = RenderCase(@case);

        Assert.NotEmpty(result.EnvoyFilters);
        foreach (var filter in result.EnvoyFilters)
        {
            Assert.Empty(IstioSchemas.Validate(filter));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_RlsConfigReadsBackUnchanged(string @case)
    {
        var result = RenderCase(@case);
        var yaml = RlsConfigYaml.Write(result.RlsConfig);

        var read = RlsConfigYaml.Read(yaml, "expected-rls.yaml");

        RlsModelAssert.Equal(result.RlsConfig, read);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_CaseRequests_DescriptorsHitTheRightLimits(string @case)
    {
        var result = RenderCase(@case);
        var rateLimits = LoadRateLimits(@case).ToDictionary(r => r.Metadata.NamespaceOrDefault + "/" + r.Metadata.Name);
        var requests = YamlReader.Read(Golden.ReadInput(Suite, @case, "requests.yaml"))[0].Root!.AsArray();
        Assert.NotEmpty(requests);

        foreach (var request in requests.Select(r => r!.AsObject()))
        {
            var name = (string)request["name"]!;
            var workload = ((string)request["workload"]!).Split('/');
            var filter = Assert.Single(result.EnvoyFilters, f =>
                (string?)f["metadata"]!["namespace"] == workload[0] && (string?)f["metadata"]!["name"] == RateLimitRenderer.EnvoyFilterName(workload[1]));
            var headers = request["headers"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value ?? string.Empty);
            var expected = request["expect"]!.AsArray().Select(e => (string)e!).ToList();

            var actual = new List<string>();
            foreach (var descriptor in EnvoyRateLimitSimulator.Descriptors(filter, headers))
            {
                var node = RlsTreeMatcher.Match(result.RlsConfig, descriptor.Domain, descriptor.Entries);
                Assert.True(node is not null, $"{name}: no RLS descriptor for {string.Join(", ", descriptor.Entries)}");
                var limit = Assert.Single(node!.Limits);
                var source = rateLimits[limit.Name!];
                Assert.Equal((uint)source.Spec.Quota, limit.RequestsPerUnit);
                Assert.Equal(source.Spec.Unit, limit.Unit);
                var host = descriptor.Entries[0];
                Assert.Equal(RateLimitRenderer.HostDescriptorKey, host.Key);
                actual.Add(limit.Name + "@" + host.Value);
            }

            var comparable = actual.Select((a, i) => i < expected.Count && !expected[i].Contains('@', StringComparison.Ordinal) ? a.Split('@')[0] : a).ToList();
            Assert.True(expected.SequenceEqual(comparable), $"{name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
    }

    [Fact]
    public void Render_TwoRateLimitsOnDifferentHosts_NeverShareADescriptor()
    {
        var result = RenderCase("two-hosts");

        var paths = Leaves(result.RlsConfig.Descriptors, []).ToList();

        Assert.Equal(2, paths.Count);
        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.All(result.RlsConfig.Descriptors, d => Assert.Single(d.Descriptors));
    }

    internal static RateLimitRenderResult RenderCase(string @case) => RateLimitRenderer.Render(LoadRateLimits(@case));

    private static List<RateLimit> LoadRateLimits(string @case) =>
        ManifestParser.ParseOrThrow(Golden.ReadInput(Suite, @case), "input.yaml").Select(m => (RateLimit)m.Resource!).ToList();

    private static IEnumerable<string> Leaves(IReadOnlyList<RlsDescriptor> level, List<string> prefix)
    {
        foreach (var d in level)
        {
            var path = prefix.Append(d.Key + "=" + d.Value).ToList();
            if (d.Limits.Count > 0)
            {
                yield return string.Join("/", path);
            }

            foreach (var leaf in Leaves(d.Descriptors, path))
            {
                yield return leaf;
            }
        }
    }
}

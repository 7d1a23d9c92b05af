using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Rls.Configuration;

namespace MeshFunctions.Rls.Tests.Configuration;

public sealed class RlsYamlParserTests
{
    [Fact]
    public void Parse_ReferenceExample_ReadsEveryField()
    {
        const string Yaml = """
            domain: rl
            descriptors:
              - key: category
                value: account
                rate_limit:
                  replaces:
                    - name: bkthomps
                  unit: minute
                  requests_per_unit: 4
              - key: foo
                rate_limit: {unit: minute, requests_per_unit: 2}
                descriptors:
                  - key: baz
                    value: shady
                    shadow_mode: true
                    rate_limit: {unit: MINUTE, requests_per_unit: 3}
                  - key: bay
                    rate_limit: {unlimited: true}
              - key: unspec
                detailed_metric: true
                rate_limit: {unit: week, requests_per_unit: 2}
              - key: two
                rate_limits:
                  - {unit: second, requests_per_unit: 10}
                  - {unit: day, requests_per_unit: 250, algorithm: token_bucket, name: daily}
            """;
        var (configs, diagnostics) = RlsYamlParser.Parse(Yaml, "example.yaml");
        Assert.Empty(diagnostics);
        var config = Assert.Single(configs);
        Assert.Equal("rl", config.Domain);
        Assert.Equal(["bkthomps"], config.Descriptors[0].Limits[0].Replaces);
        Assert.True(config.Descriptors[1].Descriptors[0].ShadowMode);
        Assert.Equal(RateLimitUnit.MINUTE, config.Descriptors[1].Descriptors[0].Limits[0].Unit);
        Assert.True(config.Descriptors[1].Descriptors[1].Limits[0].Unlimited);
        Assert.Equal(RateLimitUnit.WEEK, config.Descriptors[2].Limits[0].Unit);
        Assert.True(config.Descriptors[2].DetailedMetric);
        Assert.Equal(2, config.Descriptors[3].Limits.Count);
        Assert.Equal(RlsAlgorithm.TokenBucket, config.Descriptors[3].Limits[1].Algorithm);
    }

    [Theory]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    ratelimit: {unit: second, requests_per_unit: 1}\n", 4, "unknown key 'ratelimit'")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: fortnight, requests_per_unit: 1}\n", 4, "must be one of second")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, unlimited: true}\n", 4, "must be absent when unlimited")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, requests_per_unit: -1}\n", 4, "requests_per_unit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second}\n", 4, "is required unless unlimited")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n  - key: a\n", 4, "duplicate descriptor 'a'")]
    [InlineData("domain: d\ndescriptors:\n  - value: v\n", 3, "key")]
    [InlineData("domain: ''\n", 1, "domain")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {name: x, unit: second, requests_per_unit: 1, replaces: [{name: x}]}\n", 4, "cannot replace itself")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, requests_per_unit: 1, algorithm: leaky}\n", 4, "algorithm")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    quota_mode: true\n", 4, "not supported")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    shadow_mode: maybe\n", 4, "true or false")]
    public void Parse_InvalidConfig_ErrorWithLine(string yaml, int line, string message)
    {
        var (configs, diagnostics) = RlsYamlParser.Parse(yaml, "bad.yaml");
        Assert.Empty(configs);
        var error = Assert.Single(diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(line, error.Location?.Line);
        Assert.Equal("bad.yaml", error.Location?.File);
    }

    [Fact]
    public void Parse_MetadataKey_AcceptedWithWarning()
    {
        var (configs, diagnostics) = RlsYamlParser.Parse("domain: d\ndescriptors:\n  - key: a\n    metadata: {team: x}\n", "w.yaml");
        Assert.Single(configs);
        Assert.Equal(Severity.Warning, Assert.Single(diagnostics).Severity);
    }
}

using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Configuration;

/// <summary>The RLS's reading of a config directory through core's strict RLS YAML reader.</summary>
public sealed class ConfigDirectoryReaderTests
{
    private static ConfigLoadResult ReadOne(string yaml)
    {
        using var dir = new ConfigMapDirectory(new Dictionary<string, string> { ["c.yaml"] = yaml });
        return ConfigDirectoryReader.Read(dir.Path);
    }

    [Fact]
    public void Read_ReferenceStyleConfig_ReadsEveryField()
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
        var result = ReadOne(Yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var config = Assert.Single(result.Configs);
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
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    ratelimit: {unit: second, requests_per_unit: 1}\n", 4, "ratelimit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: fortnight, requests_per_unit: 1}\n", 4, "unit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, unlimited: true}\n", 4, "unit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, requests_per_unit: -1}\n", 4, "requests_per_unit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second}\n", 4, "requests_per_unit")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n  - key: a\n", 4, "duplicate")]
    [InlineData("domain: d\ndescriptors:\n  - value: v\n", 3, "key")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {name: x, unit: second, requests_per_unit: 1, replaces: [{name: x}]}\n", 4, "replace")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, requests_per_unit: 1, algorithm: leaky}\n", 4, "algorithm")]
    [InlineData("domain: d\ndescriptors:\n  - key: a\n    share_threshold: true\n", 4, "share_threshold")]
    public void Read_InvalidConfig_ErrorWithFileAndLine(string yaml, int line, string mentioned)
    {
        var result = ReadOne(yaml);
        Assert.False(result.Succeeded);
        Assert.Empty(result.Configs);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains(mentioned, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(line, error.Location?.Line);
        Assert.EndsWith("c.yaml", error.Location?.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingDirectory_Error()
    {
        var result = ConfigDirectoryReader.Read("/nonexistent/rls-config");
        Assert.Contains("does not exist", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameContent_SameFingerprint()
    {
        using var dir = new ConfigMapDirectory(FeatureConfig.Files);
        var first = ConfigDirectoryReader.Read(dir.Path);
        dir.Swap(FeatureConfig.Files);
        Assert.Equal(first.Fingerprint, ConfigDirectoryReader.Read(dir.Path).Fingerprint);
    }

    [Fact]
    public void Read_DomainInTwoFiles_ErrorUnlessMerged()
    {
        using var dir = new ConfigMapDirectory(new Dictionary<string, string>
        {
            ["a.yaml"] = "domain: d\ndescriptors:\n  - key: a\n    rate_limit: {unit: second, requests_per_unit: 1}\n",
            ["b.yaml"] = "domain: d\ndescriptors:\n  - key: b\n    rate_limit: {unit: second, requests_per_unit: 2}\n",
        });

        Assert.Contains("duplicate domain 'd'", Assert.Single(ConfigDirectoryReader.Read(dir.Path).Diagnostics).Message, StringComparison.Ordinal);
        var merged = ConfigDirectoryReader.Read(dir.Path, mergeDomains: true);
        Assert.True(merged.Succeeded);
        Assert.Equal(["a", "b"], Assert.Single(merged.Configs).Descriptors.Select(d => d.Key));
    }

    [Fact]
    public void Read_MergedDomainsDefineOneDescriptorTwice_ErrorNamesBothFiles()
    {
        using var dir = new ConfigMapDirectory(new Dictionary<string, string>
        {
            ["a.yaml"] = "domain: d\ndescriptors:\n  - key: a\n    value: x\n    rate_limit: {unit: second, requests_per_unit: 1}\n",
            ["b.yaml"] = "domain: d\ndescriptors:\n  - key: a\n    value: x\n    rate_limit: {unit: second, requests_per_unit: 2}\n",
        });

        var error = Assert.Single(ConfigDirectoryReader.Read(dir.Path, mergeDomains: true).Diagnostics);

        Assert.Contains("descriptor 'a=x' of domain 'd' is also defined in", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("b.yaml", error.Location!.Value.File, StringComparison.Ordinal);
    }
}

using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.RateLimiting;

public sealed class RlsConfigYamlTests
{
    // envoyproxy/ratelimit's examples/ratelimit/config/config.yaml, as the reference describes it.
    private const string MongoCps = """
        domain: mongo_cps
        descriptors:
          - key: database
            value: users
            rate_limit:
              unit: second
              requests_per_unit: 500
          - key: database
            value: default
            rate_limit:
              unit: second
              requests_per_unit: 500
        """;

    // The shape of envoyproxy/ratelimit's example.yaml (domain rl) as the reference lists it, written here,
    // including its quota_mode descriptors with metadata.
    private const string Rl = """
        ---
        domain: rl
        descriptors:
          - key: category
            value: account
            rate_limit:
              replaces:
                - name: bkthomps
                - name: fake_name
              unit: minute
              requests_per_unit: 4
          - key: source_cluster
            value: proxy
            descriptors:
              - key: destination_cluster
                value: bkthomps
                rate_limit:
                  replaces:
                    - name: bkthomps
                  unit: minute
                  requests_per_unit: 2
              - key: destination_cluster
                value: mock
                rate_limit:
                  unit: minute
                  requests_per_unit: 1
              - key: destination_cluster
                value: override
                rate_limit:
                  replaces:
                    - name: banned_limit
                  unit: minute
                  requests_per_unit: 2
              - key: destination_cluster
                value: fake
                rate_limit:
                  name: fake_name
                  unit: minute
                  requests_per_unit: 2
          - key: foo
            rate_limit:
              unit: minute
              requests_per_unit: 2
            descriptors:
              - key: bar
                rate_limit:
                  unit: minute
                  requests_per_unit: 3
              - key: bar
                value: bkthomps
                rate_limit:
                  name: bkthomps
                  unit: minute
                  requests_per_unit: 1
              - key: bar
                value: banned
                rate_limit:
                  name: banned_limit
                  unit: minute
                  requests_per_unit: 0
              - key: baz
                rate_limit:
                  unit: second
                  requests_per_unit: 1
              - key: baz
                value: not-so-shady
                rate_limit:
                  unit: minute
                  requests_per_unit: 3
              - key: baz
                value: shady
                rate_limit:
                  unit: minute
                  requests_per_unit: 3
                shadow_mode: true
              - key: bay
                rate_limit:
                  unlimited: true
          - key: unspec
            rate_limit:
              unit: minute
              requests_per_unit: 2
            detailed_metric: true
          - key: qux
            rate_limit:
              unlimited: true
          - key: service
            value: service_1
            quota_mode: true
            rate_limit:
              unit: minute
              requests_per_unit: 1
            metadata:
              tier: free
              owner: {team: a}
          - key: service
            value: service_2
            quota_mode: true
            rate_limit:
              unit: minute
              requests_per_unit: 2
            metadata:
              tier: paid
        """;

    // test/integration/.../config/basic.yaml (domain basic), plus a wildcard and mixed units.
    private const string Basic = """
        domain: basic
        descriptors:
          - key: key1
            rate_limit:
              unit: second
              requests_per_unit: 50
          - key: key1_local
            rate_limit:
              unit: SECOND
              requests_per_unit: 50
          - key: one_per_minute
            rate_limit:
              unit: Minute
              requests_per_unit: 1
          - key: path
            value: /api/*
            rate_limit:
              unit: week
              requests_per_unit: 4294967295
        """;

    [Theory]
    [InlineData(MongoCps, "mongo_cps", 2)]
    [InlineData(Rl, "rl", 7)]
    [InlineData(Basic, "basic", 4)]
    public void Parse_ReferenceExamples_ParseWithoutFindings(string yaml, string domain, int topLevel)
    {
        var result = RlsConfigYaml.Parse(yaml, "config.yaml");

        Assert.Empty(result.Diagnostics);
        var config = Assert.Single(result.Configs);
        Assert.Equal(domain, config.Domain);
        Assert.Equal(topLevel, config.Descriptors.Count);
    }

    [Fact]
    public void Parse_ExampleRl_BindsEveryFeature()
    {
        var config = RlsConfigYaml.Read(Rl);

        var category = config.Descriptors[0];
        Assert.Equal(["bkthomps", "fake_name"], category.Limits[0].Replaces);
        var foo = config.Descriptors[2];
        Assert.Null(foo.Value);
        Assert.Equal(new RlsLimit { Unit = RateLimitUnit.MINUTE, RequestsPerUnit = 2 }, foo.Limits[0] with { Replaces = [] });
        var banned = foo.Descriptors[2];
        Assert.Equal(("banned", "banned_limit", 0u), (banned.Value, banned.Limits[0].Name, banned.Limits[0].RequestsPerUnit));
        Assert.True(foo.Descriptors[5].ShadowMode);
        Assert.True(foo.Descriptors[6].Limits[0].Unlimited);
        Assert.True(config.Descriptors[3].DetailedMetric);
        var service1 = config.Descriptors[5];
        Assert.True(service1.QuotaMode);
        Assert.Equal("""{"tier":"free","owner":{"team":"a"}}""", service1.Metadata!.ToJsonString());
    }

    [Fact]
    public void Parse_Extensions_ReadSeveralLimitsAndAlgorithms()
    {
        const string yaml = """
            domain: api
            descriptors:
              - key: user
                rate_limits:
                  - unit: second
                    requests_per_unit: 10
                  - unit: day
                    requests_per_unit: 250
                    algorithm: sliding_window
                    name: daily
                  - unit: minute
                    requests_per_unit: 100
                    algorithm: token_bucket
            """;

        var limits = RlsConfigYaml.Read(yaml).Descriptors[0].Limits;

        Assert.Equal(
            [(RateLimitUnit.SECOND, 10u, RlsAlgorithm.FixedWindow), (RateLimitUnit.DAY, 250u, RlsAlgorithm.SlidingWindow), (RateLimitUnit.MINUTE, 100u, RlsAlgorithm.TokenBucket)],
            limits.Select(l => (l.Unit, l.RequestsPerUnit, l.Algorithm)));
    }

    [Theory]
    [InlineData("descriptors:\n  - key: a\n    rate_limt:\n      unit: second\n", 3, "descriptors[0].rate_limt", "unknown key 'rate_limt'")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: 1\n      burst: 2\n", 6, "descriptors[0].rate_limit.burst", "unknown key 'burst'")]
    [InlineData("domians: x\n", 1, "domians", "unknown key 'domians'")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: fortnight\n      requests_per_unit: 1\n", 4, "descriptors[0].rate_limit.unit", "'fortnight' is not a unit: expected one of second, minute, hour, day, week, month, year")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: 1\n      requests_per_unit: 1\n", 4, "descriptors[0].rate_limit.unit", "must be a string, got the number 1")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: ten\n", 5, "descriptors[0].rate_limit.requests_per_unit", "must be a whole number from 0 to 4294967295, got the string 'ten'")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: 4294967296\n", 5, "descriptors[0].rate_limit.requests_per_unit", "must be a whole number from 0 to 4294967295, got 4294967296")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: -1\n", 5, "descriptors[0].rate_limit.requests_per_unit", "must be a whole number")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n", 3, "descriptors[0].rate_limit.requests_per_unit", "is required (0 blocks every request)")]
    [InlineData("descriptors:\n  - key: a\n    shadow_mode: \"yes\"\n", 3, "descriptors[0].shadow_mode", "must be true or false, got the string 'yes'")]
    [InlineData("descriptors:\n  key: a\n", 1, "descriptors", "must be a list of descriptors")]
    [InlineData("descriptors:\n  - value: b\n", 2, "descriptors[0].key", "is required")]
    [InlineData("descriptors:\n  - key: a\n    value: 1.5\n", 3, "descriptors[0].value", "must be a string, got the number 1.5")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unlimited: true\n      unit: second\n", 5, "descriptors[0].rate_limit.unit", "must be absent when 'unlimited' is true")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      name: x\n      unit: second\n      requests_per_unit: 1\n      replaces:\n        - name: x\n", 8, "descriptors[0].rate_limit.replaces[0].name", "a limit cannot replace itself ('x')")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: 1\n      replaces:\n        - {}\n", 7, "descriptors[0].rate_limit.replaces[0].name", "is required and must not be empty")]
    [InlineData("descriptors:\n  - key: a\n    rate_limit:\n      unit: second\n      requests_per_unit: 1\n      algorithm: leaky\n", 6, "descriptors[0].rate_limit.algorithm", "'leaky' is not an algorithm")]
    [InlineData("descriptors:\n  - key: a\n    rate_limits: []\n", 3, "descriptors[0].rate_limits", "must be a non-empty list of limits")]
    [InlineData("descriptors:\n  - key: a\n    share_threshold: true\n", 3, "descriptors[0].share_threshold", "can only be used on a wildcard value")]
    [InlineData("descriptors:\n  - key: a\n    value: b\n    share_threshold: true\n", 4, "descriptors[0].share_threshold", "can only be used on a wildcard value")]
    [InlineData("descriptors:\n  - key: a\n    metadata: [x]\n", 3, "descriptors[0].metadata", "must be a mapping, got a list")]
    [InlineData("descriptors:\n  - key: a\n    quota_mode: 1\n", 3, "descriptors[0].quota_mode", "must be true or false")]
    public void Parse_BadInput_ReportsFieldLineAndReason(string body, int bodyLine, string path, string message)
    {
        var yaml = "domain: d\n" + body;

        var result = RlsConfigYaml.Parse(yaml, "bad.yaml");

        Assert.Empty(result.Configs);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("bad.yaml", bodyLine + 1, error.Location!.Value.Column), error.Location);
        Assert.StartsWith($"bad.yaml:{bodyLine + 1}: error: domain d: {path}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateDescriptor_NamesBothLines()
    {
        const string yaml = """
            domain: d
            descriptors:
              - key: a
                value: x
                rate_limit: {unit: second, requests_per_unit: 1}
              - key: a
                rate_limit: {unit: second, requests_per_unit: 1}
              - key: a
                value: x
                rate_limit: {unit: minute, requests_per_unit: 1}
            """;

        var result = RlsConfigYaml.Parse(yaml, "dup.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("descriptors[2]", error.Path);
        Assert.Equal(8, error.Location!.Value.Line);
        Assert.Contains("duplicate descriptor 'a=x' (first at line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateNestedKeyOnly_IsAnError()
    {
        const string yaml = "domain: d\ndescriptors:\n  - key: a\n    descriptors:\n      - key: b\n      - key: b\n";

        var error = Assert.Single(RlsConfigYaml.Parse(yaml).Diagnostics);

        Assert.Equal("descriptors[0].descriptors[1]", error.Path);
        Assert.Contains("duplicate descriptor key 'b' without a value (first at line 5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateDomainAcrossDocuments_IsAnError()
    {
        var result = RlsConfigYaml.Parse("domain: d\n---\ndomain: e\n---\ndomain: d\n", "many.yaml");

        Assert.Equal(["d", "e"], result.Configs.Select(c => c.Domain));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(5, error.Location!.Value.Line);
        Assert.Contains("duplicate domain 'd' (first at line 1)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("descriptors: []\n", "domain", "is required")]
    [InlineData("domain: \"\"\n", "domain", "must not be empty")]
    [InlineData("- domain: d\n", "", "must be a mapping")]
    public void Parse_BadDomain_IsAnError(string yaml, string path, string message)
    {
        var error = Assert.Single(RlsConfigYaml.Parse(yaml).Diagnostics);

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReferenceOnlyKeys_BindWithoutFindings()
    {
        const string yaml = "domain: d\ndescriptors:\n  - key: a\n    value: x*\n    share_threshold: true\n    value_to_metric: true\n    quota_mode: true\n    metadata:\n      team: x\n";

        var result = RlsConfigYaml.Parse(yaml);

        Assert.Empty(result.Diagnostics);
        var a = Assert.Single(Assert.Single(result.Configs).Descriptors);
        Assert.Equal((true, true, true, "x"), (a.ShareThreshold, a.ValueToMetric, a.QuotaMode, (string?)a.Metadata!["team"]));
        RlsModelAssert.Equal(result.Configs[0], RlsConfigYaml.Read(RlsConfigYaml.Write(result.Configs[0])));
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsLineInsteadOfThrowing()
    {
        var result = RlsConfigYaml.Parse("domain: d\ndescriptors: [\n", "broken.yaml");

        Assert.True(result.HasErrors);
        Assert.Equal("broken.yaml", result.Diagnostics[0].Location!.Value.File);
    }

    [Fact]
    public void Read_TwoDocuments_Throws()
    {
        var ex = Assert.Throws<ManifestException>(() => RlsConfigYaml.Read("domain: a\n---\ndomain: b\n"));

        Assert.Contains("expected exactly one RLS config document, found 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnquotedIntegerValue_ReadsAsItsText()
    {
        var config = RlsConfigYaml.Read("domain: d\ndescriptors:\n  - key: status\n    value: 503\n");

        Assert.Equal("503", config.Descriptors[0].Value);
    }

    [Theory]
    [InlineData(MongoCps)]
    [InlineData(Rl)]
    [InlineData(Basic)]
    public void WriteRead_ReferenceExamples_RoundTripToTheSameModel(string yaml)
    {
        var config = RlsConfigYaml.Read(yaml);

        var again = RlsConfigYaml.Read(RlsConfigYaml.Write(config));

        RlsModelAssert.Equal(config, again);
    }

    [Fact]
    public void WriteAll_TwoDomains_ReadsBackBoth()
    {
        var configs = new[] { RlsConfigYaml.Read(MongoCps), RlsConfigYaml.Read(Basic) };

        var result = RlsConfigYaml.Parse(RlsConfigYaml.WriteAll(configs));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Configs.Count);
        RlsModelAssert.Equal(configs[1], result.Configs[1]);
    }
}

using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.RateLimiting;

/// <summary>Bad RateLimit manifests: each gets one specific error naming the field, with its line.</summary>
public sealed class RateLimitValidationTests
{
    private const string Header = """
        apiVersion: quota.service-mesh.zhihu.com/v1
        kind: RateLimit
        metadata:
          name: rl
          namespace: ns
        spec:

        """;

    [Theory]
    [InlineData("  hosts: []\n  quota: 1\n", "spec.hosts", "must list at least one host")]
    [InlineData("  hosts:\n  - \"\"\n  quota: 1\n", "spec.hosts[0]", "must not be empty")]
    [InlineData("  hosts:\n  - svc:99999\n  quota: 1\n", "spec.hosts[0]", "invalid port '99999'")]
    [InlineData("  hosts:\n  - svc:http\n  quota: 1\n", "spec.hosts[0]", "invalid port 'http'")]
    [InlineData("  hosts:\n  - \"*.ns.svc.cluster.local\"\n  quota: 1\n", "spec.hosts[0]", "is a wildcard")]
    [InlineData("  hosts:\n  - Svc.NS\n  quota: 1\n", "spec.hosts[0]", "is not a valid host")]
    [InlineData("  hosts:\n  - http://svc/\n  quota: 1\n", "spec.hosts[0]", "is not a valid host")]
    [InlineData("  hosts:\n  - svc:80\n  - svc:80\n  quota: 1\n", "spec.hosts[1]", "is listed twice")]
    [InlineData("  hosts: [svc]\n  quota: -1\n", "spec.quota", "must be zero or more, got -1")]
    [InlineData("  hosts: [svc]\n  quota: 4294967296\n", "spec.quota", "must be at most 4294967295 (the RLS counts in uint32)")]
    [InlineData("  hosts: [svc]\n  quota: 99999999999999999999\n", "spec.quota", "has the wrong type: expected an integer")]
    [InlineData("  hosts: [svc]\n  quota: 1.5\n", "spec.quota", "has the wrong type: expected an integer")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  stage: 11\n", "spec.stage", "must be between 0 and 10")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  unit: FORTNIGHT\n", "spec.unit", "one of SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  quotaPerUnit: 3\n", "spec.quotaPerUnit", "unknown field 'quotaPerUnit'")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: :path\n      matchType: glob\n      value: /a\n", "spec.match.headers[0].matchType", "one of exact, prefix, regex, present")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: :path\n      matchType: regex\n      value: \"/api/(?=v1)\"\n", "spec.match.headers[0].value", "lookahead '(?=' at offset 5 is not supported by RE2")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: :path\n      matchType: regex\n      value: \"/(?<!x)a\"\n", "spec.match.headers[0].value", "lookbehind '(?<!'")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: regex\n      value: \"(a+)\\\\1\"\n", "spec.match.headers[0].value", "backreference '\\1'")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: regex\n      value: \"(?>a+)b\"\n", "spec.match.headers[0].value", "atomic group")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: regex\n      value: \"a++\"\n", "spec.match.headers[0].value", "possessive quantifier")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: regex\n      value: \"(?x) a\"\n", "spec.match.headers[0].value", "inline flag 'x'")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: regex\n      value: \"a(b\"\n", "spec.match.headers[0].value", "is not a valid regular expression")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: prefix\n      value: \"\"\n", "spec.match.headers[0].value", "must not be empty for matchType prefix")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: exact\n", "spec.match.headers[0].value", "is required for matchType exact")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x-a\n      matchType: present\n      value: yes-please\n", "spec.match.headers[0].value", "must be omitted for matchType present")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: :status\n      matchType: exact\n      value: \"200\"\n", "spec.match.headers[0].key", "not a request pseudo-header")]
    [InlineData("  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: x user\n      matchType: exact\n      value: a\n", "spec.match.headers[0].key", "not a valid header name")]
    public void Parse_BadRateLimit_ReportsOneSpecificError(string spec, string path, string message)
    {
        var result = ManifestParser.Parse(Header + spec, "rl.yaml");

        Assert.Empty(result.Manifests);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("RateLimit ns/rl", error.Subject);
        Assert.True(error.Location!.Value.Line >= 7, error.ToString());
    }

    [Fact]
    public void Parse_StageError_PointsAtTheStageLine()
    {
        var result = ManifestParser.Parse(Header + "  hosts: [svc]\n  quota: 1\n  stage: 11\n", "rl.yaml");

        Assert.Equal(9, Assert.Single(result.Diagnostics).Location!.Value.Line);
    }

    [Theory]
    [InlineData("/api/(v1|v2)/.*")]
    [InlineData("(?i)^/Page\\.Show$")]
    [InlineData("(?P<version>v[0-9]+)")]
    [InlineData("[(?=]x")]
    [InlineData("\\(\\?=literal")]
    [InlineData("a{2,3}b*?")]
    public void Parse_Re2CompatibleRegex_IsAccepted(string regex)
    {
        var spec = $"  hosts: [svc]\n  quota: 1\n  match:\n    headers:\n    - key: :path\n      matchType: regex\n      value: '{regex}'\n";

        var result = ManifestParser.Parse(Header + spec);

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("svc")]
    [InlineData("svc:8080")]
    [InlineData("svc.other-ns")]
    [InlineData("svc.ns.svc")]
    [InlineData("sm-verify-page.sm-verify.svc.cluster.local:80")]
    public void Parse_HostForms_AreAccepted(string host)
    {
        var result = ManifestParser.Parse(Header + $"  hosts: ['{host}']\n  quota: 0\n");

        Assert.Empty(result.Diagnostics);
    }
}

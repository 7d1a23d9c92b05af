using System.Net;
using System.Text;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>The HTTP side: POST /json, /metrics and /healthz.</summary>
public abstract partial class ShouldRateLimitTestsBase
{
    [Fact]
    public async Task Json_CheckEndpoint_Answers200Then429()
    {
        const string Body = """{"domain":"features","descriptors":[{"entries":[{"key":"path","value":"/exact"}]}]}""";
        using var first = await Host.Http.PostAsync("/json", new StringContent(Body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"overallCode\": \"OK\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var second = await Host.Http.PostAsync("/json", new StringContent(Body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("OVER_LIMIT", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "invalid")]
    [InlineData("""{"domain":"features","descriptors":[{"entries":[{"kee":"a"}]}]}""", "kee")]
    [InlineData("""{"domain":"","descriptors":[{"entries":[{"key":"a"}]}]}""", "domain")]
    public async Task Json_BadRequest_400WithReason(string body, string expected)
    {
        using var response = await Host.Http.PostAsync("/json", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RuleCounters_LabelledByRuleNotByValue()
    {
        for (var i = 0; i < 4; i++)
        {
            await CallAsync(("fixed", "value-" + i));
            await CallAsync(("path", "/exact"));
        }

        await CallAsync(("detailed", "shown"));
        var text = await Host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_rate_limit_total_hits{domain=\"features\",rule=\"fixed\",limit=\"0\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("rls_rate_limit_over_limit{domain=\"features\",rule=\"path_/exact\",limit=\"exact\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("rule=\"detailed_shown\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("value-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_ValidConfig_Healthy()
    {
        using var response = await Host.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

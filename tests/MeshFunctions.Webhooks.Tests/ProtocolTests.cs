using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

public sealed class ProtocolTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync(s => s["Webhooks:MaxRequestBytes"] = (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"kind\":{\"kind\":\"Pod\"}}}", "request.uid is required")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}", "admissionReviewVersions")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionRev", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    public async Task Post_UnreadableReview_400WithReason(string body, string expected)
    {
        var http = await _host.Client.PostAsync("/validate", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains(expected, await http.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ReadableUidButWrongTypes_DeniedWithUidAndCode400()
    {
        var review = Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled"));
        review["request"]!["object"] = new JsonArray(1, 2);

        var (response, _) = await _host.PostAsync("/mutate", review);

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(400, (int)response["status"]!["code"]!);
        Assert.Contains("request.object: must be an object", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mutate", "\"labels\":{", "\"labels\":{\"app\":\"one\",", "app")]
    [InlineData("/mutate/workloads", "\"spec\":{", "\"spec\":{\"replicas\":1,\"replicas\":2,", "replicas")]
    [InlineData("/validate", "\"dryRun\":false", "\"dryRun\":false,\"dryRun\":true", "dryRun")]
    public async Task Post_DuplicateMemberNames_400NamingTheDuplicate(string path, string find, string replace, string name)
    {
        var labelled = Objects.Deployment("a", "prod", "enabled");
        labelled["metadata"]!["labels"]!["app"] = "two";
        var review = Reviews.For("CREATE", labelled).ToJsonString();
        var body = review.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(review, body);

        var http = await _host.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        // A clean 400 before any rule runs: not the failure rule's "internal error" answer, and the server keeps serving.
        var text = await http.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains("duplicate", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"'{name}'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", text, StringComparison.Ordinal);
        var (response, _) = await _host.PostAsync(path, Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled")));
        Assert.True((bool)response["allowed"]!);
    }

    [Fact]
    public async Task Post_BodyOverLimit_413()
    {
        var deployment = Objects.Deployment("a", "prod", "enabled");
        deployment["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 300 * 1024) };

        var http = await _host.Client.PostAsync("/mutate", new StringContent(Reviews.For("CREATE", deployment).ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, http.StatusCode);
    }

    [Fact]
    public async Task Post_BodyInPiecesOverManySegments_SameAnswerAsInOnePiece()
    {
        // A large review sent as several writes with flushes: the endpoint waits on the pipe between pieces and reads a
        // body of many segments (copied into one buffer); the answer must equal the one for the same bytes sent at once.
        var deployment = Objects.Deployment("pieces", "prod", "enabled");
        deployment["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 100 * 1024) };
        var body = Encoding.UTF8.GetBytes(Reviews.For("CREATE", deployment).ToJsonString());

        var whole = await _host.Client.PostAsync("/mutate/workloads", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        var pieces = await _host.Client.PostAsync("/mutate/workloads", new PiecesContent(body, 7));

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pieces.StatusCode);
        var expected = JsonNode.Parse(await whole.Content.ReadAsStringAsync())!["response"]!;
        var actual = JsonNode.Parse(await pieces.Content.ReadAsStringAsync())!["response"]!;
        Assert.Equal("JSONPatch", (string?)actual["patchType"]);
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [Fact]
    public async Task Post_DeeplyNested_400()
    {
        var review = Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled")).ToJsonString();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500);
        var body = review.Replace("\"dryRun\":false", "\"deep\":" + deep + ",\"dryRun\":false", StringComparison.Ordinal);

        var http = await _host.Client.PostAsync("/mutate", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains("depth", await http.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Endpoints_HealthReadyMetrics_Answer()
    {
        await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled")));

        Assert.Equal("ok\n", await _host.Client.GetStringAsync("/healthz"));
        Assert.Equal("ok\n", await _host.Client.GetStringAsync("/readyz"));
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("meshfunctions_webhook_requests_total{webhook=\"workloads\",operation=\"CREATE\",kind=\"Deployment\",decision=\"patched\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("meshfunctions_webhook_cache_age_seconds{resource=\"virtualservices\"}", metrics, StringComparison.Ordinal);
    }

    /// <summary>A body written in <c>count</c> pieces, each flushed before the next.</summary>
    private sealed class PiecesContent(byte[] body, int count) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var size = (body.Length + count - 1) / count;
            for (var offset = 0; offset < body.Length; offset += size)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(size, body.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}

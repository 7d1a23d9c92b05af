using System.Net;
using System.Net.Http.Headers;
using CsCheck;
using Envoy.Service.Ratelimit.V3;
using MeshFunctions.Rls.Tests.Infrastructure;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>Random bytes on the gRPC endpoint and the JSON endpoint: always an error answer, never a crash.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private readonly ConfigMapDirectory _config = new(FeatureConfig.Files);
    private readonly HttpClient _http = new();
    private RlsHost _host = null!;

    public async Task InitializeAsync() => _host = await RlsHost.StartAsync(_config.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _config.Dispose();
    }

    [Fact]
    public async Task ShouldRateLimit_RandomFramedBytes_AnsweredWithGrpcStatusAndServiceSurvives()
    {
        var statuses = new List<string>();
        foreach (var payload in Gen.Byte.Array[1, 300].Array[40].Single())
        {
            byte[] frame = [0, 0, 0, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
            using var content = new ByteArrayContent(frame);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_host.GrpcPort}/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
            {
                Content = content,
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            message.Headers.TryAddWithoutValidation("te", "trailers");
            using var response = await _http.SendAsync(message);
            await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
                : response.Headers.GetValues("grpc-status").Single();
            statuses.Add(status);
        }

        // Random bytes occasionally decode as a (nonsense) request: OK (0), INVALID_ARGUMENT (3) or UNAVAILABLE is fine,
        // an undecodable one is UNKNOWN (2); nothing else.
        Assert.All(statuses, s => Assert.Contains(s, new[] { "0", "2", "3" }));
        Assert.Contains("2", statuses);
        var after = await _host.Client.ShouldRateLimitAsync(Request(FeatureConfig.Domain, ("fixed", "after-fuzz")));
        Assert.Equal(RateLimitResponse.Types.Code.Ok, after.OverallCode);
    }

    [Fact]
    public async Task Json_RandomText_400NeverAServerError()
    {
        foreach (var body in Gen.String[0, 200].Array[40].Single())
        {
            using var response = await _host.Http.PostAsync("/json", new StringContent(body));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode} for {body}");
        }

        using var big = await _host.Http.PostAsync("/json", new StringContent(new string('x', 200_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace MeshFunctions.Discovery.Upstream;

/// <summary>
/// Typed client of upstream Consul over <see cref="HttpClient"/> (the Consul NuGet package is not served).
/// Reads go through a Polly pipeline (retries with exponential backoff and jitter on transport errors and
/// 5xx); writes are forwarded once, never retried, since Consul writes are not all idempotent.
/// </summary>
internal sealed class ConsulUpstreamClient
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<UpstreamResult> _reads;

    public ConsulUpstreamClient(HttpClient http, IOptions<DiscoveryOptions> options)
    {
        _http = http;
        _http.BaseAddress = options.Value.UpstreamAddress;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _reads = new ResiliencePipelineBuilder<UpstreamResult>()
            .AddRetry(new RetryStrategyOptions<UpstreamResult>
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                ShouldHandle = new PredicateBuilder<UpstreamResult>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.Status >= 500),
            })
            .Build();
    }

    /// <summary>
    /// GET <paramref name="pathAndQuery"/> (raw, still percent-encoded), as a blocking query when
    /// <paramref name="index"/> &gt; 0. The request is cut after the wait plus its jitter and a margin.
    /// </summary>
    public async Task<UpstreamResult> GetAsync(string pathAndQuery, string? token, ulong index, TimeSpan wait, bool stale, CancellationToken cancellationToken)
    {
        var target = pathAndQuery;
        var separator = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (index > 0)
        {
            target += string.Create(CultureInfo.InvariantCulture, $"{separator}index={index}&wait={(long)wait.TotalMilliseconds}ms");
            separator = '&';
        }

        if (stale)
        {
            target += separator + "stale=";
        }

        using var cut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cut.CancelAfter(index > 0 ? wait + (wait / 16) + TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(30));
        return await _reads.ExecuteAsync(
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, target);
                if (!string.IsNullOrEmpty(token))
                {
                    request.Headers.TryAddWithoutValidation("X-Consul-Token", token);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                return await ReadAsync(response, ct).ConfigureAwait(false);
            },
            cut.Token).ConfigureAwait(false);
    }

    /// <summary>Forwards one request as it is (method, raw target, token, content type, body) and returns the answer.</summary>
    public async Task<UpstreamResult> ForwardAsync(HttpMethod method, string pathAndQuery, string? token, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.TryAddWithoutValidation("X-Consul-Token", token);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media))
            {
                request.Content.Headers.ContentType = media;
            }
        }

        using var cut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cut.CancelAfter(TimeSpan.FromMinutes(11));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cut.Token).ConfigureAwait(false);
        return await ReadAsync(response, cut.Token).ConfigureAwait(false);
    }

    private static async Task<UpstreamResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new UpstreamResult(
            (int)response.StatusCode,
            body,
            response.Content.Headers.ContentType?.ToString(),
            ulong.TryParse(Header(response, "X-Consul-Index"), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0,
            !string.Equals(Header(response, "X-Consul-KnownLeader"), "false", StringComparison.OrdinalIgnoreCase),
            long.TryParse(Header(response, "X-Consul-LastContact"), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

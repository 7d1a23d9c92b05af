using System.Text;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>A thin HTTP client for the stand-in's tests: answers with status, headers and body.</summary>
public sealed class ConsulHttp(Uri address) : IDisposable
{
    private readonly HttpClient _client = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Client => _client;

    public async Task<ConsulReply> SendAsync(HttpMethod method, string target, string? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ConsulReply((int)response.StatusCode, all, bytes);
    }

    public Task<ConsulReply> GetAsync(string target, IDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Get, target, null, headers);

    public Task<ConsulReply> PutAsync(string target, string body = "") => SendAsync(HttpMethod.Put, target, body);

    public void Dispose() => _client.Dispose();
}

/// <summary>One answer.</summary>
public sealed record ConsulReply(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode? Json => JsonNode.Parse(Body);

    public ulong Index => ulong.Parse(Headers["X-Consul-Index"], System.Globalization.CultureInfo.InvariantCulture);
}

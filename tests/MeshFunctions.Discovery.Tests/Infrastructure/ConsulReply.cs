using System.Net;
using System.Text.Json.Nodes;

namespace MeshFunctions.Discovery.Tests.Infrastructure;

/// <summary>A Consul answer read in a test: status, index headers and body.</summary>
public sealed record ConsulReply(HttpStatusCode Status, ulong Index, bool KnownLeader, long LastContact, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public static async Task<ConsulReply> GetAsync(HttpClient client, string target)
    {
        using var response = await client.GetAsync(target);
        var body = await response.Content.ReadAsStringAsync();
        return new ConsulReply(
            response.StatusCode,
            ulong.Parse(response.Headers.GetValues("X-Consul-Index").Single()),
            bool.Parse(response.Headers.GetValues("X-Consul-KnownLeader").Single()),
            long.Parse(response.Headers.GetValues("X-Consul-LastContact").Single()),
            body);
    }

    /// <summary>The addresses (ServiceAddress or node Address) and ports of a catalog/service answer.</summary>
    public IReadOnlyList<string> CatalogAddresses() =>
        [.. Json.AsArray().Select(e => $"{(e!["ServiceAddress"]!.GetValue<string>() is { Length: > 0 } a ? a : e["Address"]!.GetValue<string>())}:{e["ServicePort"]}")];

    /// <summary>The addresses of a health/service answer (Service.Address or Node.Address, as clients fall back).</summary>
    public IReadOnlyList<string> HealthAddresses() =>
        [.. Json.AsArray().Select(e => $"{(e!["Service"]!["Address"]!.GetValue<string>() is { Length: > 0 } a ? a : e["Node"]!["Address"]!.GetValue<string>())}:{e["Service"]!["Port"]}")];
}

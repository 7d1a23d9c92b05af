using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MeshFunctions.Discovery.Upstream;

namespace MeshFunctions.Discovery.Dns;

/// <summary>Reads DNS instances from an upstream <c>/v1/health/service</c> answer: critical instances dropped, as Consul's DNS does by default.</summary>
internal static class DnsInstances
{
    // Upstream results are immutable and shared by every query until upstream changes: parse each once, not per query.
    private static readonly ConditionalWeakTable<UpstreamResult, IReadOnlyList<DnsInstance>> Parsed = [];

    public static IReadOnlyList<DnsInstance> FromHealth(UpstreamResult result) =>
        Parsed.TryGetValue(result, out var instances) ? instances : Parsed.GetValue(result, Parse);

    private static IReadOnlyList<DnsInstance> Parse(UpstreamResult result)
    {
        if (result.Status != 200)
        {
            return [];
        }

        var instances = new List<DnsInstance>();
        try
        {
            using var document = JsonDocument.Parse(result.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (!entry.TryGetProperty("Node", out var node) || !entry.TryGetProperty("Service", out var service)
                    || node.ValueKind != JsonValueKind.Object || service.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (entry.TryGetProperty("Checks", out var checks) && checks.ValueKind == JsonValueKind.Array
                    && checks.EnumerateArray().Any(c => c.TryGetProperty("Status", out var s) && s.ValueEquals("critical")))
                {
                    continue;
                }

                var serviceAddress = Text(service, "Address");
                var nodeAddress = Text(node, "Address");
                var useNode = string.IsNullOrEmpty(serviceAddress);
                if (!IPAddress.TryParse(useNode ? nodeAddress : serviceAddress, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    continue;
                }

                var port = service.TryGetProperty("Port", out var p) && p.TryGetInt32(out var value) ? value : 0;
                instances.Add(new DnsInstance(address, port, Text(node, "Node") ?? "unknown", useNode));
            }
        }
        catch (JsonException)
        {
            return [];
        }

        return instances;
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

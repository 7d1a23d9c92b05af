using System.Text.Json;
using MeshFunctions.TestKit.Consul.Internal;

namespace MeshFunctions.TestKit.Consul;

/// <summary>
/// The selectors of <c>/v1/catalog/service</c> and <c>/v1/health/service</c> reads besides <c>tag</c>: <c>filter</c>
/// (the subset of Consul's expression language in <see cref="FilterExpression"/>; a malformed one answers 400
/// "Failed to create boolean expression evaluator: …", as Consul does) and <c>node-meta</c> (repeatable
/// <c>key:value</c>, all must match the node's meta). <c>near</c> is accepted and ignored (no coordinates here).
/// </summary>
public sealed partial class FakeConsul
{
    internal static ConsulAnswer ApplySelectors(ConsulQuery query, ConsulAnswer answer)
    {
        var filterText = query.Get("filter");
        var nodeMeta = query.GetAll("node-meta").Select(m => m.Split(':', 2)).Select(p => (Key: p[0], Value: p.Length > 1 ? p[1] : string.Empty)).ToList();
        var health = query.Path.StartsWith("/v1/health/service/", StringComparison.Ordinal);
        if ((string.IsNullOrEmpty(filterText) && nodeMeta.Count == 0) || !(health || query.Path.StartsWith("/v1/catalog/service/", StringComparison.Ordinal)))
        {
            return answer;
        }

        Func<JsonElement, bool> filter = _ => true;
        if (!string.IsNullOrEmpty(filterText))
        {
            try
            {
                filter = FilterExpression.Parse(filterText);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                return ConsulAnswer.Error(400, "Failed to create boolean expression evaluator: " + ex.Message);
            }
        }

        if (answer is not { Status: 200, Body: { } body })
        {
            return answer;
        }

        using var document = JsonDocument.Parse(body);
        var kept = JsonBytes.Write(w =>
        {
            w.WriteStartArray();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var meta = health ? element.GetProperty("Node").GetProperty("Meta") : element.GetProperty("NodeMeta");
                if (filter(element) && nodeMeta.TrueForAll(m => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(m.Key, out var v) && v.GetString() == m.Value))
                {
                    element.WriteTo(w);
                }
            }

            w.WriteEndArray();
        });
        return answer with { Body = kept };
    }
}

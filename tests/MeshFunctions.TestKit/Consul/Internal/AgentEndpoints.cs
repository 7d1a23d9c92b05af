using System.Text.Json;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// <c>/v1/agent/service/register</c> and <c>/deregister/:id</c> on the server agent's node. Keys are matched
/// case-insensitively and with or without underscores, as Consul decodes both PascalCase (node-consul)
/// and lower/snake case (python-consul). The fake never runs checks: they keep the status they were given
/// (default <c>critical</c>, as a new agent check starts) until a test calls <see cref="FakeConsul.SetHealth"/>.
/// </summary>
internal static class AgentEndpoints
{
    public static ConsulAnswer Register(ConsulState state, string node, byte[] body)
    {
        ConsulServiceRegistration registration;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ConsulAnswer.Error(400, "Request decode failed: expected a JSON object");
            }

            var fields = Fields(document.RootElement);
            if (!fields.TryGetValue("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            {
                return ConsulAnswer.Error(400, "Missing service name");
            }

            if (fields.TryGetValue("port", out var port) && port.ValueKind != JsonValueKind.Number)
            {
                return ConsulAnswer.Error(400, "Request decode failed: Port: expected a number");
            }

            var checks = new List<ConsulCheck>();
            if (fields.TryGetValue("check", out var check) && check.ValueKind == JsonValueKind.Object)
            {
                checks.Add(ParseCheck(check));
            }

            if (fields.TryGetValue("checks", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                checks.AddRange(list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(ParseCheck));
            }

            registration = new ConsulServiceRegistration(name.GetString()!, port.ValueKind == JsonValueKind.Number ? port.GetInt32() : 0)
            {
                Id = Text(fields, "id"),
                Address = Text(fields, "address") ?? string.Empty,
                Tags = fields.TryGetValue("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                    ? [.. tags.EnumerateArray().Select(t => t.GetString() ?? string.Empty)]
                    : [],
                Meta = fields.TryGetValue("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                    ? meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                    : null,
                PassingWeight = Weight(fields, "passing", 1),
                WarningWeight = Weight(fields, "warning", 1),
                Checks = checks,
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return ConsulAnswer.Error(400, "Request decode failed: " + ex.Message);
        }

        state.RegisterService(node, registration);
        return new ConsulAnswer(200, null, null, null);
    }

    public static ConsulAnswer Deregister(ConsulState state, string node, string serviceId)
    {
        state.DeregisterService(node, serviceId);
        return new ConsulAnswer(200, null, null, null);
    }

    private static ConsulCheck ParseCheck(JsonElement element)
    {
        var fields = Fields(element);
        var type = new[] { "http", "tcp", "ttl", "grpc", "args", "script", "dockercontainerid", "h2ping", "udp" }
            .FirstOrDefault(fields.ContainsKey) ?? string.Empty;
        return new ConsulCheck(
            Text(fields, "status") ?? ConsulHealth.Critical,
            Text(fields, "checkid") ?? Text(fields, "id"),
            Text(fields, "name"),
            type == "args" ? "script" : type)
        {
            Interval = Text(fields, "interval") ?? string.Empty,
            Timeout = Text(fields, "timeout") ?? string.Empty,
            Notes = Text(fields, "notes") ?? string.Empty,
        };
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement element)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant()] = property.Value;
        }

        return fields;
    }

    private static string? Text(Dictionary<string, JsonElement> fields, string key) =>
        fields.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Weight(Dictionary<string, JsonElement> fields, string key, int fallback) =>
        fields.TryGetValue("weights", out var weights) && weights.ValueKind == JsonValueKind.Object
        && Fields(weights).TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : fallback;
}

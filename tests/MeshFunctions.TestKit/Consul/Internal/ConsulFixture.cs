using System.Text.Json;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// Loads a fixture file into a <see cref="FakeConsul"/>. Shape:
/// <c>{"nodes":[{"node","address","services":[{"name","id","port","tags","address","meta","checks":[{"id","name","status","type","output"}]}],
/// "checks":[{"id","status"}]}],"kv":{"key":"text value"}}</c>. Node-level <c>checks</c> set the status of existing
/// node checks such as <c>serfHealth</c>. Errors name the file and the JSON path.
/// </summary>
internal static class ConsulFixture
{
    public static void Load(string path, FakeConsul consul)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {ex.Message}", ex);
        }

        if (root.TryGetProperty("nodes", out var nodes))
        {
            var i = 0;
            foreach (var node in Array(path, nodes, "nodes"))
            {
                LoadNode(path, $"nodes[{i++}]", node, consul);
            }
        }

        if (root.TryGetProperty("kv", out var kv))
        {
            if (kv.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "kv", "expected an object of key → string value");
            }

            foreach (var pair in kv.EnumerateObject())
            {
                consul.PutKv(pair.Name, pair.Value.ValueKind == JsonValueKind.String
                    ? pair.Value.GetString()!
                    : throw Error(path, $"kv.{pair.Name}", "expected a string"));
            }
        }
    }

    private static void LoadNode(string path, string at, JsonElement node, FakeConsul consul)
    {
        var name = Required(path, at, node, "node");
        var address = Required(path, at, node, "address");
        var s = 0;
        foreach (var service in node.TryGetProperty("services", out var services) ? Array(path, services, $"{at}.services") : [])
        {
            var here = $"{at}.services[{s++}]";
            var port = service.TryGetProperty("port", out var p)
                ? p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var value) ? value : throw Error(path, $"{here}.port", "expected an integer")
                : 0;
            var checks = new List<ConsulCheck>();
            var c = 0;
            foreach (var check in service.TryGetProperty("checks", out var list) ? Array(path, list, $"{here}.checks") : [])
            {
                var status = Optional(check, "status") ?? ConsulHealth.Passing;
                if (!ConsulHealth.IsValid(status))
                {
                    throw Error(path, $"{here}.checks[{c}].status", $"'{status}' is not passing, warning or critical");
                }

                checks.Add(new ConsulCheck(status, Optional(check, "id"), Optional(check, "name"), Optional(check, "type") ?? string.Empty,
                    Optional(check, "output") ?? string.Empty));
                c++;
            }

            consul.RegisterService(name, address, new ConsulServiceRegistration(Required(path, here, service, "name"), port)
            {
                Id = Optional(service, "id"),
                Address = Optional(service, "address") ?? string.Empty,
                Tags = service.TryGetProperty("tags", out var tags)
                    ? [.. Array(path, tags, $"{here}.tags").Select(t => t.GetString() ?? string.Empty)]
                    : [],
                Meta = service.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                    ? meta.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.ToString())
                    : null,
                Checks = checks,
            });
        }

        foreach (var check in node.TryGetProperty("checks", out var nodeChecks) ? Array(path, nodeChecks, $"{at}.checks") : [])
        {
            consul.SetHealth(name, Required(path, $"{at}.checks", check, "id"), Optional(check, "status") ?? ConsulHealth.Passing);
        }
    }

    private static IEnumerable<JsonElement> Array(string path, JsonElement element, string at) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw Error(path, at, "expected an array");

    private static string Required(string path, string at, JsonElement element, string name) =>
        Optional(element, name) is { Length: > 0 } value ? value : throw Error(path, $"{at}.{name}", "required string is missing");

    private static string? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static InvalidDataException Error(string path, string at, string message) => new($"{path}: {at}: {message}");
}

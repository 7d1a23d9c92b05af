using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Tests;

internal static class Objects
{
    public static JsonObject Deployment(string name, string ns, string? injection, JsonObject? templateLabels = null)
    {
        var labels = new JsonObject { ["app"] = name };
        foreach (var (k, v) in templateLabels ?? [])
        {
            labels[k] = v?.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = injection is null ? new JsonObject() : new JsonObject { ["istio-injection"] = injection },
            },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels },
                    ["spec"] = JsonNode.Parse("""{"containers":[{"name":"app","image":"registry.example.com/app:1","lifecycle":{"preStop":{"exec":{"command":["sleep","30"]}}}}]}"""),
                },
            },
        };
    }

    public static JsonObject DestinationRule(string name, string ns, string host, params string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "DestinationRule",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["host"] = host,
            ["subsets"] = new JsonArray(subsets.Select(s => (JsonNode?)new JsonObject { ["name"] = s, ["labels"] = new JsonObject { ["version"] = s } }).ToArray()),
        },
    };

    public static JsonObject VirtualService(string name, string ns, string host, params string[] subsets) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "VirtualService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray(host),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = subsets.Length == 0
                    ? new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = host } })
                    : new JsonArray(subsets.Select(s => (JsonNode?)new JsonObject
                    {
                        ["destination"] = new JsonObject { ["host"] = host, ["subset"] = s },
                        ["weight"] = 100 / subsets.Length,
                    }).ToArray()),
            }),
        },
    };

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    /// <summary>A valid Router (HTTP, one branch) in namespace <c>shop</c>.</summary>
    public static JsonObject Router(string name) => JsonNode.Parse($$$"""
        {"apiVersion":"router.service-mesh.zhihu.com/v1","kind":"Router","metadata":{"name":"{{{name}}}","namespace":"shop"},
         "spec":{"port":8080,"protocol":"http","subsets":[{"branch":"master","versions":{"v1":100}}]}}
        """)!.AsObject();
}

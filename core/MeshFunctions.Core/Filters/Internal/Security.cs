using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>AuthorizationPolicy specs for the authorization and blacklist blocks.</summary>
internal static class Security
{
    public const string ApiVersion = "security.istio.io/v1";
    public const string Kind = "AuthorizationPolicy";

    /// <summary>One rule: the listed sources AND the listed operations (Istio ANDs <c>from</c> and <c>to</c>).</summary>
    public static JsonObject Authorization(FilterAuthorization authz, JsonObject workloadLabels)
    {
        var rule = new JsonObject();
        if (authz.HasSource)
        {
            var source = new JsonObject();
            AddList(source, "principals", authz.Principals);
            AddList(source, "namespaces", authz.Namespaces);
            AddList(source, "ipBlocks", authz.IpBlocks);
            AddList(source, "remoteIpBlocks", authz.RemoteIpBlocks);
            rule["from"] = new JsonArray(new JsonObject { ["source"] = source });
        }

        if (authz.HasOperation)
        {
            var operation = new JsonObject();
            AddList(operation, "paths", authz.Paths);
            AddList(operation, "methods", authz.Methods);
            rule["to"] = new JsonArray(new JsonObject { ["operation"] = operation });
        }

        return Policy(workloadLabels, authz.Action ?? "ALLOW", rule);
    }

    /// <summary>One DENY rule whose sources are ORed: any listed IP, principal or namespace is rejected.</summary>
    public static JsonObject Blacklist(FilterBlacklist blacklist, JsonObject workloadLabels)
    {
        var from = new JsonArray();
        foreach (var (field, values) in new[]
        {
            ("ipBlocks", blacklist.IpBlocks), ("remoteIpBlocks", blacklist.RemoteIpBlocks),
            ("principals", blacklist.Principals), ("namespaces", blacklist.Namespaces),
        })
        {
            if (values is { Count: > 0 })
            {
                from.Add(new JsonObject { ["source"] = new JsonObject { [field] = JsonObjects.Strings(values) } });
            }
        }

        return Policy(workloadLabels, "DENY", new JsonObject { ["from"] = from });
    }

    private static JsonObject Policy(JsonObject workloadLabels, string action, JsonObject rule) => new()
    {
        ["selector"] = new JsonObject { ["matchLabels"] = workloadLabels },
        ["action"] = action,
        ["rules"] = new JsonArray(rule),
    };

    private static void AddList(JsonObject target, string field, List<string>? values)
    {
        if (values is { Count: > 0 })
        {
            target[field] = JsonObjects.Strings(values);
        }
    }
}

using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>The discovery documents (<c>/version</c>, <c>/api</c>, <c>/apis</c>, resource lists) for the registered types.</summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The document for <paramref name="segments"/>, or null when it is not a discovery path.</summary>
    public static JsonObject? For(string[] segments, ResourceRegistry registry, string serverAddress) => segments switch
    {
        ["version"] => Version(),
        ["api"] => new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
        },
        ["api", "v1"] => ResourceList(registry, string.Empty, "v1"),
        ["apis"] => new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray(Groups(registry).Select(g => (JsonNode)Group(registry, g)).ToArray()),
        },
        ["apis", var group] when Groups(registry).Contains(group) => WithKind(Group(registry, group)),
        ["apis", var group, var version] when registry.HasGroupVersion(group, version) => ResourceList(registry, group, version),
        _ => null,
    };

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["gitVersion"] = "v1.34.0-meshfunctions-fake",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static IEnumerable<string> Groups(ResourceRegistry registry) =>
        registry.All.Select(t => t.Group).Where(g => g.Length > 0).Distinct().Order(StringComparer.Ordinal);

    private static JsonObject Group(ResourceRegistry registry, string group)
    {
        var versions = registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().Order(StringComparer.Ordinal).ToList();
        var preferred = versions.OrderByDescending(v => v.StartsWith("v1", StringComparison.Ordinal) && v.Length == 2).ThenByDescending(v => v, StringComparer.Ordinal).First();
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(group, v)).ToArray()),
            ["preferredVersion"] = GroupVersion(group, preferred),
        };
    }

    private static JsonObject WithKind(JsonObject group)
    {
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (key, value) in group)
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    private static JsonObject GroupVersion(string group, string version) =>
        new() { ["groupVersion"] = group + "/" + version, ["version"] = version };

    private static JsonObject ResourceList(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Kind.ToLowerInvariant(),
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode)v).ToArray()),
            });
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }
}

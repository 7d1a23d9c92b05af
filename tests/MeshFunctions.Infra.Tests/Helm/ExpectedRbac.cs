using System.Text.Json.Nodes;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>
/// What each component calls on the Kubernetes API (the interface agreed for webhooks, functions and discovery;
/// see the chart's comments), as "verb group/resource" strings. A rule in the chart that is not here, or the
/// reverse, fails <c>Render_Defaults_RbacGrantsExactlyWhatEachComponentUses</c>.
/// </summary>
internal static class ExpectedRbac
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["get", "list", "watch", "create", "update", "patch", "delete"];
    private static readonly string[] Status = ["get", "update", "patch"];

    public static IReadOnlyDictionary<string, HashSet<string>> ClusterRoles { get; } = new Dictionary<string, HashSet<string>>
    {
        ["webhooks"] =
        [
            .. Rules(Read, "networking.istio.io", "virtualservices", "destinationrules"),
            .. Rules(["create"], "networking.istio.io", "sidecars"),
            .. Rules(Read, "router.service-mesh.zhihu.com", "routers"),
            .. Rules(Read, "filter.service-mesh.zhihu.com", "istiofilters"),
            .. Rules(Read, "quota.service-mesh.zhihu.com", "ratelimits"),
            .. Rules(Read, string.Empty, "pods", "services"),
        ],
        ["functions"] =
        [
            .. Rules(Write, "networking.istio.io", "virtualservices", "destinationrules", "envoyfilters", "sidecars"),
            .. Rules(Write, "security.istio.io", "authorizationpolicies"),
            .. Rules(Write, "telemetry.istio.io", "telemetries"),
            .. Rules(Write, string.Empty, "services"),
            .. Rules(["get", "list", "watch", "update", "patch"], "router.service-mesh.zhihu.com", "routers"),
            .. Rules(Status, "router.service-mesh.zhihu.com", "routers/status"),
            .. Rules(Read, "filter.service-mesh.zhihu.com", "istiofilters"),
            .. Rules(Status, "filter.service-mesh.zhihu.com", "istiofilters/status"),
            .. Rules(Read, "quota.service-mesh.zhihu.com", "ratelimits"),
            .. Rules(Status, "quota.service-mesh.zhihu.com", "ratelimits/status"),
        ],
        ["discovery"] =
        [
            .. Rules(Read, string.Empty, "pods", "services"),
            .. Rules(Read, "discovery.k8s.io", "endpointslices"),
            .. Rules(Read, "router.service-mesh.zhihu.com", "routers"),
        ],
    };

    /// <summary>The functions' Role in the release namespace: the RLS config ConfigMap.</summary>
    public static HashSet<string> FunctionsNamespaced { get; } = [.. Rules(["get", "list", "watch", "create", "update", "patch"], string.Empty, "configmaps")];

    public static HashSet<string> Flatten(JsonObject role)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in role["rules"]!.AsArray())
        {
            foreach (var group in rule!["apiGroups"]!.AsArray())
            {
                foreach (var resource in rule["resources"]!.AsArray())
                {
                    foreach (var verb in rule["verbs"]!.AsArray())
                    {
                        result.Add($"{verb} {group}/{resource} ");
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<string> Rules(string[] verbs, string group, params string[] resources) =>
        from verb in verbs from resource in resources select $"{verb} {group}/{resource} ";
}

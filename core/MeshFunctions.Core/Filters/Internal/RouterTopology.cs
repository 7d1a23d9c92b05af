using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// Where things are in one Router's rendered objects: which branch each HTTP route and DestinationRule
/// serves (from the <c>&lt;svc&gt;--&lt;branch&gt;.</c> host naming), route names and paths. Built once per Apply.
/// </summary>
internal sealed class RouterTopology
{
    public RouterTopology(Router router, JsonObject virtualService, IReadOnlyList<JsonObject> destinationRules, RenderOptions options)
    {
        Router = router;
        Options = options;
        Namespace = router.Metadata.NamespaceOrDefault;
        Branches = router.Spec.Subsets.Select(s => s.Branch).ToArray();
        VirtualServiceLabel = Describe(virtualService);
        var routes = new List<JsonObject>();
        var paths = new List<string>();
        if (virtualService["spec"]?["http"] is JsonArray http)
        {
            for (var i = 0; i < http.Count; i++)
            {
                if (http[i] is JsonObject route)
                {
                    routes.Add(route);
                    paths.Add("spec.http[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
                }
            }
        }

        Routes = [.. routes];
        RoutePaths = [.. paths];
        RouteNames = new string?[Routes.Length];
        RouteBranches = new string?[Routes.Length];
        for (var i = 0; i < Routes.Length; i++)
        {
            RouteNames[i] = Routes[i]["name"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : null;
            var host = Routes[i]["route"] is JsonArray { Count: > 0 } dests ? (string?)dests[0]?["destination"]?["host"] : null;
            RouteBranches[i] = BranchOf(host);
        }

        DestinationRules = destinationRules;
        DestinationRuleLabels = destinationRules.Select(Describe).ToArray();
        DestinationRuleBranches = destinationRules.Select(dr => BranchOf((string?)dr["spec"]?["host"])).ToArray();
    }

    public Router Router { get; }

    public RenderOptions Options { get; }

    public string Namespace { get; }

    /// <summary>The Router's branches in spec order.</summary>
    public string[] Branches { get; }

    public string VirtualServiceLabel { get; }

    public JsonObject[] Routes { get; }

    public string?[] RouteNames { get; }

    public string?[] RouteBranches { get; }

    /// <summary><c>spec.http[i]</c> of each route (i counts every entry of the VS's list).</summary>
    public string[] RoutePaths { get; }

    public IReadOnlyList<JsonObject> DestinationRules { get; }

    public string[] DestinationRuleLabels { get; }

    public string?[] DestinationRuleBranches { get; }

    /// <summary>
    /// Where a branch's workloads run: its DestinationRule's namespace (rendered beside the branch Service), else
    /// the Router's namespace for master and <c>&lt;ns&gt;--&lt;branch&gt;</c> for sandboxes.
    /// </summary>
    public string NamespaceOf(string branch) =>
        (string?)DestinationRuleOf(branch)?["metadata"]?["namespace"]
            ?? (branch == Router.MasterBranch ? Namespace : Namespace + "--" + branch);

    /// <summary>The labels that select a branch's workloads (<c>app</c> and <c>branch</c> by default, as in the seed).</summary>
    public JsonObject WorkloadLabels(string branch) => new()
    {
        [Options.AppLabel] = Router.Metadata.Name,
        [Options.BranchLabel] = branch,
    };

    /// <summary>The Router's own host, <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;cluster domain&gt;</c>.</summary>
    public string ServiceHost => Router.Metadata.Name + "." + Namespace + ".svc." + Options.ClusterDomain;

    public bool HasBranch(string branch) => Array.IndexOf(Branches, branch) >= 0;

    /// <summary>The DestinationRule of a branch, or null.</summary>
    public JsonObject? DestinationRuleOf(string branch)
    {
        for (var i = 0; i < DestinationRuleBranches.Length; i++)
        {
            if (DestinationRuleBranches[i] == branch)
            {
                return DestinationRules[i];
            }
        }

        return null;
    }

    private static string Describe(JsonObject obj) =>
        $"{(string?)obj["kind"]} {(string?)obj["metadata"]?["namespace"] ?? "default"}/{(string?)obj["metadata"]?["name"]}";

    private string? BranchOf(string? host)
    {
        var name = Router.Metadata.Name;
        if (host is null || host.Length <= name.Length + 2 || !host.StartsWith(name, StringComparison.Ordinal)
            || host[name.Length] != '-' || host[name.Length + 1] != '-')
        {
            return null;
        }

        var end = host.IndexOf('.', name.Length + 2);
        var branch = end < 0 ? host[(name.Length + 2)..] : host[(name.Length + 2)..end];
        return HasBranch(branch) ? branch : null;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// One filter resolved against one Router before anything is patched: what it selects and the JSON it
/// writes. A plan with errors is not applied at all, so a filter applies completely or not at all.
/// </summary>
internal sealed class FilterPlan
{
    private FilterPlan(IstioFilter filter)
    {
        Filter = filter;
    }

    public IstioFilter Filter { get; }

    public List<Diagnostic> Diagnostics { get; } = [];

    public bool Failed => Diagnostics.Exists(d => d.Severity == Severity.Error);

    public List<int> Routes { get; } = [];

    public List<int> DestinationRules { get; } = [];

    public List<string> Branches { get; } = [];

    public JsonNode? Retries { get; private set; }

    public JsonNode? Timeout { get; private set; }

    public JsonNode? FaultDelay { get; private set; }

    public JsonNode? FaultAbort { get; private set; }

    public JsonObject? Mirror { get; private set; }

    public JsonNode? MirrorPercentage { get; private set; }

    public JsonNode? CorsPolicy { get; private set; }

    public JsonNode? Tcp { get; private set; }

    public JsonNode? Http { get; private set; }

    public JsonNode? OutlierDetection { get; private set; }

    public JsonNode? LoadBalancer { get; private set; }

    public static FilterPlan Compile(IstioFilter filter, RouterTopology topology)
    {
        var plan = new FilterPlan(filter);
        var spec = filter.Spec;
        plan.Select(topology);
        var ctx = FilterJsonContext.Default;
        if (spec.HasRouteFeatures)
        {
            plan.Retries = spec.Retries is null ? null : JsonSerializer.SerializeToNode(spec.Retries, ctx.FilterRetries);
            plan.CheckGrpcRetries(spec.Retries, topology);
            plan.Timeout = spec.Timeout is null ? null : JsonValue.Create(spec.Timeout);
            plan.FaultDelay = spec.Fault?.Delay is null ? null : JsonSerializer.SerializeToNode(spec.Fault.Delay, ctx.FilterFaultDelay);
            plan.FaultAbort = spec.Fault?.Abort is null ? null : JsonSerializer.SerializeToNode(spec.Fault.Abort, ctx.FilterFaultAbort);
            plan.CorsPolicy = spec.CorsPolicy is null ? null : JsonSerializer.SerializeToNode(spec.CorsPolicy, ctx.FilterCorsPolicy);
            if (spec.Mirror is not null)
            {
                plan.ResolveMirror(spec.Mirror, topology);
                plan.MirrorPercentage = spec.Mirror.Percentage is null ? null : JsonSerializer.SerializeToNode(spec.Mirror.Percentage, ctx.FilterPercent);
            }
        }

        if (spec.ConnectionPool is { } pool)
        {
            plan.Tcp = pool.Tcp is null ? null : JsonSerializer.SerializeToNode(pool.Tcp, ctx.FilterTcpSettings);
            plan.Http = pool.Http is null ? null : JsonSerializer.SerializeToNode(pool.Http, ctx.FilterHttpSettings);
        }

        plan.OutlierDetection = spec.OutlierDetection is null ? null : JsonSerializer.SerializeToNode(spec.OutlierDetection, ctx.FilterOutlierDetection);
        plan.LoadBalancer = spec.LoadBalancer is null ? null : JsonSerializer.SerializeToNode(spec.LoadBalancer, ctx.FilterLoadBalancer);
        return plan;
    }

    private void Select(RouterTopology topology)
    {
        var spec = Filter.Spec;
        var branches = spec.Selector?.Branches;
        var names = spec.Selector?.Routes;
        for (var i = 0; branches is not null && i < branches.Count; i++)
        {
            if (!topology.HasBranch(branches[i]))
            {
                Warn($"spec.selector.branches[{i}]", $"Router {topology.Namespace}/{topology.Router.Metadata.Name} has no branch '{branches[i]}'");
            }
        }

        foreach (var branch in topology.Branches)
        {
            if (branches is null || branches.Contains(branch))
            {
                Branches.Add(branch);
            }
        }

        if (spec.HasRouteFeatures)
        {
            for (var i = 0; i < topology.Routes.Length; i++)
            {
                var branch = topology.RouteBranches[i];
                var name = topology.RouteNames[i];
                if ((branches is null || (branch is not null && branches.Contains(branch))) && (names is null || (name is not null && names.Contains(name))))
                {
                    Routes.Add(i);
                }
            }

            for (var i = 0; names is not null && i < names.Count; i++)
            {
                if (Array.IndexOf(topology.RouteNames, names[i]) < 0)
                {
                    Warn($"spec.selector.routes[{i}]", $"{topology.VirtualServiceLabel} has no HTTP route named '{names[i]}'");
                }
            }

            if (topology.Routes.Length == 0)
            {
                Fail("spec", $"{topology.VirtualServiceLabel} has no HTTP routes (a tcp Router?): retries, timeout, fault, mirror, headers and corsPolicy cannot apply");
            }
            else if (Routes.Count == 0)
            {
                Warn("spec.selector", $"selects no HTTP route of {topology.VirtualServiceLabel}");
            }
        }

        if (spec.HasPolicyFeatures)
        {
            for (var i = 0; i < topology.DestinationRuleBranches.Length; i++)
            {
                var branch = topology.DestinationRuleBranches[i];
                if (branches is null || (branch is not null && branches.Contains(branch)))
                {
                    DestinationRules.Add(i);
                }
            }

            if (DestinationRules.Count == 0)
            {
                Warn("spec.selector", "selects no DestinationRule of the Router");
            }
        }

        if (spec.HasWorkloadFeatures && Branches.Count == 0)
        {
            Warn("spec.selector", "selects no branch of the Router");
        }
    }

    /// <summary>
    /// The seed's "default retry problem": retrying gRPC <c>unavailable</c>/<c>cancelled</c> multiplies traffic to a
    /// service that is already failing. The admission webhook may deny it; here the filter's outcome warns.
    /// </summary>
    private void CheckGrpcRetries(FilterRetries? retries, RouterTopology topology)
    {
        if (retries?.RetryOn is not { } retryOn || topology.Router.Spec.Protocol != RouterProtocol.Grpc || retries.Attempts == 0)
        {
            return;
        }

        foreach (var condition in retryOn.Split(','))
        {
            var c = condition.Trim();
            if (c is "unavailable" or "cancelled")
            {
                Diagnostics.Add(Diagnostic.Warning("spec.retries.retryOn", $"retrying '{c}' on gRPC Router {topology.Namespace}/{topology.Router.Metadata.Name} multiplies traffic to a failing service (each attempt is a new request); prefer connect-failure,refused-stream,reset")
                    with { Code = FilterOutcome.RiskyRetryCode });
            }
        }
    }

    private void ResolveMirror(FilterMirror mirror, RouterTopology topology)
    {
        if (mirror.Host is not null)
        {
            Mirror = new JsonObject { ["host"] = mirror.Host };
        }
        else
        {
            var branch = mirror.Branch!;
            var dr = topology.HasBranch(branch) ? topology.DestinationRuleOf(branch) : null;
            if (dr is null)
            {
                Fail("spec.mirror.branch", topology.HasBranch(branch)
                    ? $"branch '{branch}' has no DestinationRule"
                    : $"Router {topology.Namespace}/{topology.Router.Metadata.Name} has no branch '{branch}'");
                return;
            }

            var subset = SubsetOf(dr, mirror.Version, topology.Options.VersionLabel);
            if (mirror.Version is not null && subset is null)
            {
                Fail("spec.mirror.version", $"branch '{branch}' has no version '{mirror.Version}'");
                return;
            }

            Mirror = new JsonObject { ["host"] = (string?)dr["spec"]?["host"] };
            if (subset is not null)
            {
                Mirror["subset"] = subset;
            }
        }

        if (mirror.Port is { } port)
        {
            Mirror["port"] = new JsonObject { ["number"] = port };
        }
    }

    /// <summary>The subset selecting <c>version</c>, or the <c>default</c> subset when no version is asked for.</summary>
    private static string? SubsetOf(JsonObject dr, string? version, string versionLabel)
    {
        if (dr["spec"]?["subsets"] is not JsonArray subsets)
        {
            return null;
        }

        foreach (var s in subsets)
        {
            var name = (string?)s?["name"];
            if (version is null ? name == "default" : (string?)s?["labels"]?[versionLabel] == version)
            {
                return name;
            }
        }

        return null;
    }

    private void Warn(string path, string message) =>
        Diagnostics.Add(Diagnostic.Warning(path, message) with { Code = FilterOutcome.NoMatchCode });

    private void Fail(string path, string message) =>
        Diagnostics.Add(Diagnostic.Error(path, message) with { Code = FilterOutcome.FailedCode });
}

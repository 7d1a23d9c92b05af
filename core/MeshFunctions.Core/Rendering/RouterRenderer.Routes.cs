using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering.Internal;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Rendering;

/// <summary>The VirtualService and its routes.</summary>
public static partial class RouterRenderer
{
    /// <summary>The suffix of every route name: <c>&lt;branch&gt;--default</c>, the branch's default route.</summary>
    public const string RouteNameSuffix = "--default";

    private static JsonObject VirtualService(RenderContext context, List<RenderBranch> branches)
    {
        var spec = new JsonObject
        {
            ["hosts"] = new JsonArray(context.Host(context.Name, context.Namespace)),
        };

        if (context.Options.Gateways.Count > 0)
        {
            var gateways = new JsonArray();
            foreach (var gateway in context.Options.Gateways)
            {
                gateways.Add(JsonValue.Create(gateway));
            }

            spec["gateways"] = gateways;
        }

        var tcp = context.Router.Spec.Protocol == RouterProtocol.Tcp;
        var routes = new JsonArray();

        // Sandboxes first: their routes match on the caller's branch label; master catches everything else.
        for (var i = 1; i < branches.Count; i++)
        {
            routes.Add(tcp ? TcpRoute(context, branches[i]) : HttpRoute(context, branches[i]));
        }

        routes.Add(tcp ? TcpRoute(context, branches[0]) : HttpRoute(context, branches[0]));
        spec[tcp ? "tcp" : "http"] = routes;

        return new JsonObject
        {
            ["apiVersion"] = IstioApiVersion,
            ["kind"] = "VirtualService",
            ["metadata"] = context.Metadata(context.Name, context.Namespace),
            ["spec"] = spec,
        };
    }

    private static JsonObject HttpRoute(RenderContext context, RenderBranch branch)
    {
        var route = new JsonObject { ["name"] = branch.Name + RouteNameSuffix };
        if (!branch.IsMaster)
        {
            route["match"] = new JsonArray(new JsonObject { ["sourceLabels"] = BranchSelector(context, branch) });
        }

        route["route"] = Destinations(branch);
        if (context.Router.Spec.Protocol == RouterProtocol.Grpc)
        {
            route["retries"] = Retries(context.Options.GrpcRetry);
        }

        return route;
    }

    private static JsonObject TcpRoute(RenderContext context, RenderBranch branch)
    {
        var match = new JsonObject { ["port"] = context.Router.Spec.Port };
        if (!branch.IsMaster)
        {
            match["sourceLabels"] = BranchSelector(context, branch);
        }

        return new JsonObject
        {
            ["match"] = new JsonArray(match),
            ["route"] = Destinations(branch),
        };
    }

    private static JsonObject BranchSelector(RenderContext context, RenderBranch branch) =>
        new() { [context.Options.BranchLabel] = branch.Name };

    /// <summary>The branch's <c>default</c> subset, or one destination per version with its declared weight.</summary>
    private static JsonArray Destinations(RenderBranch branch)
    {
        var destinations = new JsonArray();
        if (branch.Versions.Count == 0)
        {
            destinations.Add(new JsonObject { ["destination"] = Destination(branch.Host, SubsetNames.Default) });
            return destinations;
        }

        foreach (var version in branch.Versions)
        {
            destinations.Add(new JsonObject
            {
                ["destination"] = Destination(branch.Host, version.Subset),
                ["weight"] = version.Weight,
            });
        }

        return destinations;
    }

    private static JsonObject Destination(string host, string subset) => new() { ["host"] = host, ["subset"] = subset };

    private static JsonObject Retries(GrpcRetryPolicy policy)
    {
        var retries = new JsonObject { ["attempts"] = policy.Attempts };
        if (policy.Attempts > 0)
        {
            retries["retryOn"] = policy.RetryOn;
            if (policy.PerTryTimeout is { } timeout)
            {
                retries["perTryTimeout"] = Duration(timeout);
            }
        }

        return retries;
    }

    /// <summary>A protobuf/Go duration: whole seconds as <c>Ns</c>, anything finer as whole milliseconds.</summary>
    private static string Duration(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}

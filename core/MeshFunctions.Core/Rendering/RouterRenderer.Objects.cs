using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering.Internal;

namespace MeshFunctions.Core.Rendering;

/// <summary>Services and DestinationRules.</summary>
public static partial class RouterRenderer
{
    /// <summary>The Istio API version every Istio object is rendered with.</summary>
    public const string IstioApiVersion = "networking.istio.io/v1";

    /// <summary>A Service selecting the service's pods, of one branch when <paramref name="branch"/> is given.</summary>
    private static JsonObject Service(RenderContext context, string name, string ns, string? branch)
    {
        var options = context.Options;
        var selector = new JsonObject { [options.AppLabel] = context.Name };
        if (branch is not null)
        {
            selector[options.BranchLabel] = branch;
        }

        var port = context.Router.Spec.Port;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = context.Metadata(name, ns),
            ["spec"] = new JsonObject
            {
                ["selector"] = selector,
                ["ports"] = new JsonArray(new JsonObject
                {
                    ["name"] = context.PortName,
                    ["port"] = port,
                    ["targetPort"] = port,
                    ["protocol"] = "TCP",
                    ["appProtocol"] = context.Protocol,
                }),
            },
        };
    }

    /// <summary>The branch host's DestinationRule: <c>default</c>, then one subset per version.</summary>
    private static JsonObject DestinationRule(RenderContext context, RenderBranch branch)
    {
        var subsets = new JsonArray(new JsonObject { ["name"] = SubsetNames.Default });
        foreach (var version in branch.Versions)
        {
            subsets.Add(new JsonObject
            {
                ["name"] = version.Subset,
                ["labels"] = new JsonObject { [context.Options.VersionLabel] = version.Version },
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = IstioApiVersion,
            ["kind"] = "DestinationRule",
            ["metadata"] = context.Metadata(branch.ServiceName, branch.Namespace),
            ["spec"] = new JsonObject
            {
                ["host"] = branch.Host,
                ["subsets"] = subsets,
            },
        };
    }
}

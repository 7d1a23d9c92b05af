using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Rendering.Internal;

/// <summary>What every object of one render shares: names, options and the metadata they all carry.</summary>
internal sealed class RenderContext
{
    public RenderContext(Router router, RenderOptions options)
    {
        Router = router;
        Options = options;
        Name = router.Metadata.Name;
        Namespace = router.Metadata.NamespaceOrDefault;
        HostSuffix = ".svc." + options.ClusterDomain;
        Protocol = router.Spec.Protocol switch
        {
            RouterProtocol.Grpc => "grpc",
            RouterProtocol.Tcp => "tcp",
            _ => "http",
        };
        PortName = Protocol + "-" + router.Spec.Port.ToString(CultureInfo.InvariantCulture);
    }

    public Router Router { get; }

    public RenderOptions Options { get; }

    public string Name { get; }

    public string Namespace { get; }

    public string HostSuffix { get; }

    /// <summary>The protocol as Istio and Kubernetes spell it (port name prefix and appProtocol).</summary>
    public string Protocol { get; }

    public string PortName { get; }

    public string Host(string serviceName, string ns) => serviceName + "." + ns + HostSuffix;

    /// <summary>
    /// <c>metadata</c> for an object named <paramref name="name"/> in <paramref name="ns"/>: the managed-by and Router
    /// labels always; the owner reference only in the Router's own namespace and only when the Router has a uid.
    /// </summary>
    public JsonObject Metadata(string name, string ns)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                [RouterLabels.ManagedBy] = Options.ManagedBy,
                [RouterLabels.RouterName] = Name,
                [RouterLabels.RouterNamespace] = Namespace,
            },
        };

        // Kubernetes rejects owner references across namespaces in spirit: the garbage collector looks the owner
        // up in the dependent's namespace, finds nothing and deletes the dependent. Sandbox objects keep the labels.
        if (ns == Namespace && Router.Metadata.Uid is { Length: > 0 } uid)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = Router.ApiVersion,
                ["kind"] = Router.Kind,
                ["name"] = Name,
                ["uid"] = uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        }

        return metadata;
    }
}

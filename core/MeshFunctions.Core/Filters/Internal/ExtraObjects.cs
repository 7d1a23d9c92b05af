using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>Names and metadata of the objects a filter renders besides the VS/DR patches.</summary>
internal static class ExtraObjects
{
    /// <summary>Points from an object back to the IstioFilter that rendered it (also across namespaces).</summary>
    public const string OwnerAnnotation = IstioFilter.Group + "/owner";

    private const int MaxNameLength = 253;

    /// <summary>
    /// A new object with apiVersion, kind and metadata carrying the Router renderer's labels (so everything a Router
    /// produces is found by one selector), the owner annotation, and an ownerReference when the filter's uid is known
    /// and the object shares its namespace (Kubernetes forbids cross-namespace owners).
    /// </summary>
    public static JsonObject Create(string apiVersion, string kind, IstioFilter filter, RouterTopology topology, string suffix, string ns, JsonObject spec)
    {
        var metadata = new JsonObject
        {
            ["name"] = NameFor(filter.Metadata.Name, suffix),
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                [RouterLabels.ManagedBy] = topology.Options.ManagedBy,
                [RouterLabels.RouterName] = topology.Router.Metadata.Name,
                [RouterLabels.RouterNamespace] = topology.Namespace,
            },
            ["annotations"] = new JsonObject
            {
                [OwnerAnnotation] = filter.Metadata.NamespaceOrDefault + "/" + filter.Metadata.Name,
            },
        };

        if (ns == filter.Metadata.NamespaceOrDefault && !string.IsNullOrEmpty(filter.Metadata.Uid))
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = filter.ApiVersion,
                ["kind"] = filter.Kind,
                ["name"] = filter.Metadata.Name,
                ["uid"] = filter.Metadata.Uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary><c>&lt;filter&gt;-&lt;suffix&gt;</c>; shortened with a stable hash when over 253 characters.</summary>
    public static string NameFor(string filterName, string suffix)
    {
        var name = filterName + "-" + suffix;
        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var tail = "-" + hash.ToString("x8", CultureInfo.InvariantCulture) + "-" + suffix;
        return name[..(MaxNameLength - tail.Length)].TrimEnd('-', '.') + tail;
    }
}

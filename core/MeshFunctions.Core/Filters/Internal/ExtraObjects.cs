using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>Names and metadata of the objects a filter renders besides the VS/DR patches.</summary>
internal static class ExtraObjects
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "meshfunctions";
    public const string RouterLabel = IstioFilter.Group + "/router";
    public const string OwnerAnnotation = IstioFilter.Group + "/owner";

    private const int MaxNameLength = 253;

    /// <summary>A new object with apiVersion, kind and metadata; ownerReference only in the filter's namespace.</summary>
    public static JsonObject Create(string apiVersion, string kind, IstioFilter filter, Router router, string suffix, string ns, JsonObject spec)
    {
        var metadata = new JsonObject
        {
            ["name"] = NameFor(filter.Metadata.Name, suffix),
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                [ManagedByLabel] = ManagedByValue,
                [RouterLabel] = router.Metadata.Name,
            },
            ["annotations"] = new JsonObject
            {
                [OwnerAnnotation] = filter.Metadata.NamespaceOrDefault + "/" + filter.Metadata.Name,
            },
        };

        // Kubernetes forbids cross-namespace owners; sandbox-namespace objects are tracked by the annotation.
        if (ns == filter.Metadata.NamespaceOrDefault)
        {
            var owner = new JsonObject
            {
                ["apiVersion"] = filter.ApiVersion,
                ["kind"] = filter.Kind,
                ["name"] = filter.Metadata.Name,
            };
            if (!string.IsNullOrEmpty(filter.Metadata.Uid))
            {
                owner["uid"] = filter.Metadata.Uid;
            }

            owner["controller"] = true;
            owner["blockOwnerDeletion"] = true;
            metadata["ownerReferences"] = new JsonArray(owner);
        }

        return new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary><c>app</c> + <c>branch</c> labels of a branch's workloads (as in the seed's EnvoyFilter).</summary>
    public static JsonObject WorkloadLabels(Router router, string branch) => new()
    {
        ["app"] = router.Metadata.Name,
        ["branch"] = branch,
    };

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

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>A resource URL taken apart: type, namespace, name, subresource, and whether it used <c>/watch/</c>.</summary>
internal sealed record KubeRoute(KubeResourceType Type, string? Namespace, string? Name, string? Subresource, bool WatchPath)
{
    /// <summary>Parses <c>/api/v1/...</c> and <c>/apis/{g}/{v}/...</c>; null when the path is not a resource path.</summary>
    public static KubeRoute? Parse(string[] segments, ResourceRegistry registry)
    {
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var watch = segments[rest] == "watch";
        var tail = segments[(watch ? rest + 1 : rest)..];
        string? ns = null;
        if (tail.Length >= 3 && tail[0] == "namespaces" && !(group.Length == 0 && tail.Length == 3 && tail[2] is "status" or "finalize"))
        {
            ns = tail[1];
            tail = tail[2..];
        }

        if (tail.Length is 0 or > 3)
        {
            return null;
        }

        var type = registry.Find(group, version, tail[0]);
        if (type is null || (ns is not null && !type.Namespaced) || (ns is null && type.Namespaced && tail.Length > 1))
        {
            return null;
        }

        return new KubeRoute(type, ns, tail.Length > 1 ? tail[1] : null, tail.Length > 2 ? tail[2] : null, watch);
    }
}

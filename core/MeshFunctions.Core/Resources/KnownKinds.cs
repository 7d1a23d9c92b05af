namespace MeshFunctions.Core.Resources;

/// <summary>Maps MeshFunctions' (group, kind) pairs to their models and catches wrong apiVersions.</summary>
internal static class KnownKinds
{
    private static readonly (string Kind, string Group, string ApiVersion, Type Type)[] Kinds =
    [
        (Router.KindValue, Router.Group, Router.ApiVersionValue, typeof(Router)),
        (IstioFilter.KindValue, IstioFilter.Group, IstioFilter.ApiVersionValue, typeof(IstioFilter)),
        (RateLimit.KindValue, RateLimit.Group, RateLimit.ApiVersionValue, typeof(RateLimit)),
    ];

    /// <summary>The model type, null for kinds that are not ours; <paramref name="error"/> when a kind or group is ours but the pair is wrong.</summary>
    public static Type? TypeFor(string apiVersion, string kind, out string? error)
    {
        error = null;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        foreach (var k in Kinds)
        {
            if (k.Kind == kind)
            {
                if (apiVersion == k.ApiVersion)
                {
                    return k.Type;
                }

                if (group.EndsWith("service-mesh.zhihu.com", StringComparison.Ordinal) || group.Length == 0)
                {
                    error = $"kind {kind} requires apiVersion {k.ApiVersion}, got '{apiVersion}'";
                }

                return null;
            }

            if (group == k.Group)
            {
                error = apiVersion == k.ApiVersion
                    ? $"apiVersion {apiVersion} serves kind {k.Kind}, got '{kind}'"
                    : $"unknown apiVersion '{apiVersion}' (group {k.Group} serves {k.ApiVersion})";
                return null;
            }
        }

        return null;
    }
}

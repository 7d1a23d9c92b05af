namespace MeshFunctions.Core.Rendering;

/// <summary>The labels <see cref="RouterRenderer"/> puts on every object it renders, to find them again.</summary>
public static class RouterLabels
{
    /// <summary>Kubernetes' recommended label for the managing tool; its value is <see cref="RenderOptions.ManagedBy"/>.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>The name of the Router an object was rendered from.</summary>
    public const string RouterName = "router.service-mesh.zhihu.com/name";

    /// <summary>
    /// The namespace of the Router an object was rendered from. Sandbox objects live in another namespace and
    /// cannot carry an owner reference, so this label is the only link back for them.
    /// </summary>
    public const string RouterNamespace = "router.service-mesh.zhihu.com/namespace";
}

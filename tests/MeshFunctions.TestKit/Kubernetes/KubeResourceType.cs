namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// One resource the fake API server serves: <c>/api/v1/...</c> when <see cref="Group"/> is empty,
/// <c>/apis/{group}/{version}/...</c> otherwise.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version, e.g. <c>v1</c>.</param>
/// <param name="Plural">Lower-case plural used in URLs, e.g. <c>virtualservices</c>.</param>
/// <param name="Kind">Kind, e.g. <c>VirtualService</c>.</param>
/// <param name="Namespaced">True for namespaced resources, false for cluster-scoped ones.</param>
/// <param name="HasStatusSubresource">
/// True (default) when writes to the main resource ignore <c>status</c> and <c>/status</c> is served.
/// </param>
/// <param name="IsCustom">
/// True (default) for CRD-backed resources: they need <c>apiVersion</c>/<c>kind</c> in bodies, reject
/// unconditional updates and strategic merge patches, and list items keep <c>apiVersion</c>/<c>kind</c>.
/// </param>
public sealed record KubeResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatusSubresource = true,
    bool IsCustom = true)
{
    /// <summary><c>v1</c> for the core group, <c>group/version</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The list kind, <see cref="Kind"/> + <c>List</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary>Resource name as the API server spells it in messages: <c>pods</c>, <c>routers.router.example.com</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>Kind as the API server spells it in validation messages: <c>Pod</c>, <c>Router.router.example.com</c>.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    internal string Key => ApiVersion + "/" + Plural;
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Rendering.Internal;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Rendering;

/// <summary>
/// Renders a Router into Kubernetes Services, one Istio VirtualService and one DestinationRule per branch
/// (<c>networking.istio.io/v1</c>). Pure and deterministic: the same Router and options give the same objects with
/// the same key order (apiVersion, kind, metadata, spec), whatever order branches and versions were declared in.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Services: <c>&lt;svc&gt;</c> in the Router's namespace (selector <c>app</c>), and <c>&lt;svc&gt;--&lt;branch&gt;</c>
/// per branch (selector <c>app</c> + <c>branch</c>): master's in the Router's namespace, every other branch (a
/// sandbox) in namespace <c>&lt;ns&gt;--&lt;branch&gt;</c>. The port is named <c>&lt;protocol&gt;-&lt;port&gt;</c> with that appProtocol.</item>
/// <item>VirtualService <c>&lt;svc&gt;</c> for <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c>: one route per sandbox
/// (sorted by branch) matching <c>sourceLabels: {branch: &lt;branch&gt;}</c>, then the master route. Every route is named
/// <c>&lt;branch&gt;--default</c> (the branch's default route, as in the seed) and goes to the branch host's
/// <c>default</c> subset, or to one weighted destination per version (sorted by version). gRPC routes carry
/// <see cref="RenderOptions.GrpcRetry"/>. TCP Routers get <c>tcp</c> routes in the same order; each carries a match
/// on the service port (plus the sourceLabels for sandboxes), so that it is valid for validators that require
/// <c>tcp[].match</c> and still catches all traffic of the port.</item>
/// <item>DestinationRule <c>&lt;svc&gt;--&lt;branch&gt;</c> beside each branch Service: subset <c>default</c> (no labels)
/// and one subset per version named by <see cref="SubsetNames.Encode"/> selecting <c>version: &lt;version&gt;</c>.</item>
/// <item>Every object carries <see cref="RouterLabels"/>. Only objects in the Router's own namespace get an owner
/// reference to the Router (controller, blockOwnerDeletion), and only when the Router has a uid: Kubernetes has no
/// cross-namespace owners, and the garbage collector would delete a sandbox object whose owner it cannot find.
/// Sandbox objects are found through the labels and deleted by the reconciler.</item>
/// </list>
/// The Router must be valid (<see cref="Router.Validate"/>; the parser and the admission webhook check it).
/// Render re-checks only what it relies on, cheaply, and throws <see cref="ArgumentException"/> naming the field.
/// </remarks>
public static partial class RouterRenderer
{
    /// <summary>Renders with <see cref="RenderOptions.Default"/>.</summary>
    public static RenderedRouter Render(Router router) => Render(router, RenderOptions.Default);

    /// <summary>Renders <paramref name="router"/> (see the type's remarks for the exact output).</summary>
    public static RenderedRouter Render(Router router, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(options);
        var context = new RenderContext(router, options);
        var branches = Branches(context);

        var services = new List<JsonObject>(branches.Count + 1) { Service(context, context.Name, context.Namespace, null) };
        var destinationRules = new List<JsonObject>(branches.Count);
        foreach (var branch in branches)
        {
            services.Add(Service(context, branch.ServiceName, branch.Namespace, branch.Name));
            destinationRules.Add(DestinationRule(context, branch));
        }

        return new RenderedRouter(router, services, VirtualService(context, branches), destinationRules);
    }

    /// <summary>Master first, then the sandboxes in ordinal order of their names.</summary>
    private static List<RenderBranch> Branches(RenderContext context)
    {
        if (string.IsNullOrEmpty(context.Name))
        {
            throw new ArgumentException("metadata.name: is required", "router");
        }

        var subsets = context.Router.Spec.Subsets;
        var branches = new List<RenderBranch>(subsets.Count);
        RenderBranch? master = null;
        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[i];
            if (string.IsNullOrEmpty(subset.Branch))
            {
                throw new ArgumentException($"spec.subsets[{i}].branch: is required", "router");
            }

            for (var j = 0; j < i; j++)
            {
                if (subsets[j].Branch == subset.Branch)
                {
                    throw new ArgumentException($"spec.subsets[{i}].branch: branch '{subset.Branch}' is listed twice", "router");
                }
            }

            var isMaster = subset.Branch == Router.MasterBranch;
            var ns = isMaster ? context.Namespace : context.Namespace + "--" + subset.Branch;
            var serviceName = context.Name + "--" + subset.Branch;
            var branch = new RenderBranch(subset.Branch, ns, serviceName, context.Host(serviceName, ns), isMaster, Versions(subset, i));
            if (isMaster)
            {
                master = branch;
            }
            else
            {
                branches.Add(branch);
            }
        }

        if (master is null)
        {
            throw new ArgumentException("spec.subsets: must contain the production branch 'master'", "router");
        }

        branches.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        branches.Insert(0, master);
        return branches;
    }

    private static List<RenderVersion> Versions(RouterSubset subset, int index)
    {
        if (subset.Versions is not { Count: > 0 } versions)
        {
            return [];
        }

        var list = new List<RenderVersion>(versions.Count);
        foreach (var (version, weight) in versions)
        {
            string name;
            try
            {
                name = SubsetNames.Encode(version);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"spec.subsets[{index}].versions: {ex.Message}", "router", ex);
            }

            list.Add(new RenderVersion(version, name, weight));
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Version, b.Version));
        return list;
    }
}

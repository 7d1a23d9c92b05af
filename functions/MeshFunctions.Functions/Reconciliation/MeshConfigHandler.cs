using MeshFunctions.Core.Events;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Functions.Kubernetes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// mesh-config-events (and continuations): re-renders and applies the Router(s) a changed Router, IstioFilter or
/// RateLimit affects. A deleted IstioFilter no longer names its target, so every Router of its namespace is
/// reconciled; a deleted RateLimit is found through the EnvoyFilters rendered from it.
/// </summary>
internal sealed class MeshConfigHandler(KubeObjects kube, RouterReconciler reconciler)
{
    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var meshEvent = MeshEventCodec.Decode<MeshConfigEvent>(body, MeshEventTypes.MeshConfig);
        var data = meshEvent.Data;
        var trigger = new ReconcileTrigger(meshEvent.Id);
        foreach (var (ns, name) in await RoutersAsync(data, cancellationToken).ConfigureAwait(false))
        {
            await reconciler.ReconcileAsync(ns, name, trigger, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyCollection<(string, string)>> RoutersAsync(MeshConfigEvent data, CancellationToken cancellationToken)
    {
        switch (data.Kind)
        {
            case "Router":
                return [(data.Namespace, data.Name)];
            case "IstioFilter":
                var filter = await kube.GetAsync(KubeKind.IstioFilter, data.Namespace, data.Name, cancellationToken).ConfigureAwait(false);
                if ((string?)filter?["spec"]?["targetRef"]?["name"] is { Length: > 0 } target)
                {
                    return [(data.Namespace, target)];
                }

                return await AllRoutersAsync(data.Namespace, cancellationToken).ConfigureAwait(false);
            case "RateLimit":
                var routers = new HashSet<(string, string)>();
                var rateLimit = await kube.GetAsync(KubeKind.RateLimit, data.Namespace, data.Name, cancellationToken).ConfigureAwait(false);
                foreach (var host in rateLimit?["spec"]?["hosts"]?.AsArray() ?? [])
                {
                    if (RateLimitHost.TryParse((string?)host ?? string.Empty, data.Namespace, "cluster.local", out _) is { } parsed)
                    {
                        routers.Add((parsed.Namespace, parsed.Service));
                    }
                }

                // Routers whose rate-limit EnvoyFilter was rendered from this RateLimit (it may have lost a host, or be gone).
                var id = data.Namespace + "/" + data.Name;
                foreach (var envoyFilter in await kube.ListAsync(KubeKind.EnvoyFilter, null, $"{RouterLabels.ManagedBy}=meshfunctions", cancellationToken).ConfigureAwait(false))
                {
                    var sources = (string?)envoyFilter["metadata"]?["annotations"]?[RateLimitRenderer.SourcesAnnotation] ?? string.Empty;
                    if (sources.Split(',').Contains(id) && (string?)envoyFilter["metadata"]?["labels"]?[RouterLabels.RouterName] is { } router)
                    {
                        routers.Add((KubeObjects.Namespace(envoyFilter), router));
                    }
                }

                return routers;
            default:
                throw new MeshEventFormatException($"mesh-config event for kind '{data.Kind}': expected Router, IstioFilter or RateLimit");
        }
    }

    private async Task<List<(string, string)>> AllRoutersAsync(string ns, CancellationToken cancellationToken) =>
        [.. (await kube.ListAsync(KubeKind.Router, ns, null, cancellationToken).ConfigureAwait(false)).Select(r => (ns, KubeObjects.Name(r)))];
}

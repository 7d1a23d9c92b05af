using System.Globalization;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Reconciliation;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Sidecars;
using MeshFunctions.Functions.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// Reads what a Router's reconcile needs from the cluster (its IstioFilters, every RateLimit, its live objects) and
/// writes the shared things around it: the RLS ConfigMap (one object, so one atomic write; rendered and compared only
/// when the RateLimits changed since this instance last saw it agree, see <see cref="RlsConfigState"/>), the RLS host in a
/// rate-limited workload's Sidecar, and the IstioFilters' status.
/// </summary>
internal sealed partial class MeshStateReader(KubeObjects kube, RenderedObjectCache cache, RlsConfigState rls, WorkloadEgress egress, IOptions<ReconcilerOptions> options, ILogger<MeshStateReader> logger)
{
    private readonly ReconcilerOptions _options = options.Value;

    public RenderOptions RenderOptions => new() { ClusterDomain = _options.ClusterDomain };

    public RateLimitRenderOptions RateLimitOptions => new() { ClusterDomain = _options.ClusterDomain, RlsHost = _options.RlsHost, RlsPort = _options.RlsPort };

    public async Task<RouterDesiredState> DesiredAsync(Router router, CancellationToken cancellationToken)
    {
        var ns = router.Metadata.NamespaceOrDefault;
        var filters = Parse<IstioFilter>(await kube.ListAsync(KubeKind.IstioFilter, ns, null, cancellationToken).ConfigureAwait(false));
        var rateLimitObjects = await kube.ListAsync(KubeKind.RateLimit, null, null, cancellationToken).ConfigureAwait(false);
        var rateLimits = Parse<RateLimit>(rateLimitObjects);
        var fingerprint = string.Join(',', rateLimitObjects.Select(o => $"{KubeObjects.Namespace(o)}/{KubeObjects.Name(o)}@{(string?)o["metadata"]?["resourceVersion"]}").Order(StringComparer.Ordinal));
        if (!rls.IsConfirmed(fingerprint))
        {
            await WriteRlsConfigAsync(rateLimits.Select(r => r.Resource), cancellationToken).ConfigureAwait(false);
            rls.Confirm(fingerprint);
        }

        var desired = RouterDesiredState.Compose(router, filters.Select(f => f.Resource), rateLimits.Select(r => r.Resource), RenderOptions, RateLimitOptions);
        _filterObjects = filters.ToDictionary(f => (f.Resource.Metadata.NamespaceOrDefault, f.Resource.Metadata.Name), f => f.Object);
        return desired;
    }

    /// <summary>
    /// The live objects of Router <paramref name="ns"/>/<paramref name="name"/>: every object labelled as rendered from it, in
    /// any namespace. Which objects those are comes from the instance's <see cref="RenderedObjectCache"/> (plus the names in
    /// <paramref name="desired"/>); each is then read by name, so what the planner sees is the API server's current state,
    /// never a lagging cache. The cache can only miss an object another instance created moments ago; such an object is
    /// left alone (never wrongly kept or removed in a VirtualService's way), and <paramref name="fresh"/> lists the
    /// cluster by label instead, for the decisions that must see every object (removals and deletion).
    /// </summary>
    public async Task<List<JsonObject>> LiveAsync(string ns, string name, IReadOnlyList<JsonObject> desired, bool fresh, CancellationToken cancellationToken)
    {
        var keys = fresh ? null : await cache.KeysOfAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            var selector = $"{RouterLabels.RouterName}={name},{RouterLabels.RouterNamespace}={ns}";
            var listed = new List<JsonObject>();
            foreach (var kind in KubeKind.Rendered)
            {
                listed.AddRange(await kube.ListAsync(kind, null, selector, cancellationToken).ConfigureAwait(false));
            }

            return listed;
        }

        foreach (var obj in desired)
        {
            keys.Add((KubeKind.Of((string?)obj["apiVersion"] ?? string.Empty, (string?)obj["kind"] ?? string.Empty), KubeObjects.Namespace(obj), KubeObjects.Name(obj)));
        }

        var live = new List<JsonObject>();
        foreach (var (kind, objectNs, objectName) in keys.Distinct())
        {
            // Same rule as the label list: an object of that name that is not labelled as this Router's is not ours.
            if (await kube.GetAsync(kind, objectNs, objectName, cancellationToken).ConfigureAwait(false) is { } obj && RenderedObjectCache.IsRenderedFrom(obj, ns, name))
            {
                live.Add(obj);
            }
        }

        // The planner's order is by kind as listed; keep it independent of the cache's order.
        return [.. live.OrderBy(o => KubeKind.Rendered.ToList().IndexOf(KubeKind.Of((string?)o["apiVersion"] ?? string.Empty, (string?)o["kind"] ?? string.Empty))).ThenBy(RouterReconciler.Key, StringComparer.Ordinal)];
    }

    /// <summary>A rate-limited workload's Sidecar must import the RLS host, or Envoy has no cluster to call and fails open.</summary>
    public Task EnsureRlsEgressAsync(Router router, CancellationToken cancellationToken)
    {
        var labels = _options.RlsHost.Split('.');
        return egress.EnsureAsync(router.Metadata.NamespaceOrDefault, router.Metadata.Name, [new SidecarDependency(labels[1], _options.RlsHost)], cancellationToken);
    }

    /// <summary>Writes each IstioFilter's outcome (Applied, and Conflicted for a filter whose fields a later one overrode) to its status.</summary>
    public async Task WriteFilterStatusAsync(IReadOnlyList<FilterOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var outcome in outcomes)
        {
            var key = (outcome.Filter.Metadata.NamespaceOrDefault, outcome.Filter.Metadata.Name);
            if (_filterObjects?.TryGetValue(key, out var live) != true)
            {
                continue;
            }

            var status = FilterStatus(outcome, (long?)live!["metadata"]?["generation"]);
            if (JsonNode.DeepEquals(live["status"], status))
            {
                continue;
            }

            var copy = (JsonObject)live.DeepClone();
            copy["status"] = status;
            try
            {
                await kube.ReplaceStatusAsync(KubeKind.IstioFilter, copy, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException)
            {
                // Changed meanwhile: its own mesh-config event re-renders the Router and writes the status again.
            }
        }
    }

    private Dictionary<(string, string), JsonObject>? _filterObjects;

    private static JsonObject FilterStatus(FilterOutcome outcome, long? generation)
    {
        var conflicts = outcome.Conflicts.Select(d => d.ToString()).ToList();
        var applied = outcome.Status == FilterOutcomeStatus.Applied;
        return new JsonObject
        {
            ["observedGeneration"] = generation,
            ["conditions"] = new JsonArray(
                Condition("Applied", applied, applied ? "Applied" : "Failed", string.Join("; ", outcome.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()))),
                Condition("Conflicted", conflicts.Count > 0, conflicts.Count > 0 ? "OverriddenByLaterFilter" : "NoConflict", string.Join("; ", conflicts))),
            ["conflicts"] = new JsonArray([.. conflicts.Select(c => (JsonNode?)c)]),
        };

        JsonObject Condition(string type, bool value, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = value ? "True" : "False",
            ["reason"] = reason,
            ["message"] = message,
            ["observedGeneration"] = generation,
        };
    }

    private async Task WriteRlsConfigAsync(IEnumerable<RateLimit> rateLimits, CancellationToken cancellationToken)
    {
        var rendered = RateLimitRenderer.Render(rateLimits, RateLimitOptions);
        var yaml = RlsConfigYaml.Write(rendered.RlsConfig);
        var desired = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = _options.RlsConfigMapName,
                ["namespace"] = _options.RlsNamespace,
                ["labels"] = new JsonObject { [RouterLabels.ManagedBy] = RenderOptions.ManagedBy },
            },
            ["data"] = new JsonObject { [_options.RlsConfigKey] = yaml },
        };
        var live = await kube.GetAsync(KubeKind.ConfigMap, _options.RlsNamespace, _options.RlsConfigMapName, cancellationToken).ConfigureAwait(false);
        if (live is not null && (string?)live["data"]?[_options.RlsConfigKey] == yaml)
        {
            return;
        }

        // One ConfigMap holds the whole configuration, so the RLS never sees half of a change; other keys survive.
        desired["data"] = MergeData(live, yaml);
        await RouterReconciler.ApplyObjectAsync(kube, desired, live, cancellationToken).ConfigureAwait(false);
        Log.RlsConfigWritten(logger, _options.RlsNamespace, _options.RlsConfigMapName, rendered.RlsConfig.Descriptors.Count.ToString(CultureInfo.InvariantCulture));
    }

    private JsonObject MergeData(JsonObject? live, string yaml)
    {
        var data = (live?["data"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        data[_options.RlsConfigKey] = yaml;
        return data;
    }

    private List<(T Resource, JsonObject Object)> Parse<T>(List<JsonObject> objects)
        where T : class, IMeshResource
    {
        var list = new List<(T, JsonObject)>(objects.Count);
        foreach (var obj in objects)
        {
            var diagnostics = new List<Diagnostic>();
            if (ManifestParser.Bind(obj, typeof(T), string.Empty, diagnostics) is T resource)
            {
                list.Add((resource, obj));
            }
            else
            {
                Log.InvalidObject(logger, typeof(T).Name, KubeObjects.Namespace(obj), KubeObjects.Name(obj), string.Join("; ", diagnostics));
            }
        }

        return list;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name} is invalid and is skipped: {Problems}")]
        public static partial void InvalidObject(ILogger logger, string kind, string @namespace, string name, string problems);

        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "RLS configuration {Namespace}/{Name} rewritten ({Hosts} protected hosts)")]
        public static partial void RlsConfigWritten(ILogger logger, string @namespace, string name, string hosts);
    }
}

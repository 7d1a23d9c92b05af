using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Filters;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// The render path shared by <c>render</c>, <c>check</c> and <c>plan</c>: every Router of the set rendered with
/// the IstioFilters that target it patched on, then the RateLimits. Findings are located in the input files.
/// </summary>
internal static class RenderPipeline
{
    /// <summary>Renders and keeps every object (with the input it came from), for check and plan.</summary>
    public static RenderOutput Render(IReadOnlyList<Manifest> manifests, RenderSettings settings, List<Diagnostic> diagnostics, IReadOnlySet<string>? rejected = null)
    {
        var objects = new List<JsonObject>();
        var origins = new Dictionary<JsonObject, Manifest>(ReferenceEqualityComparer.Instance);
        var rls = Render(manifests, settings, diagnostics, (obj, origin) =>
        {
            objects.Add(obj);
            if (origin is not null)
            {
                origins[obj] = origin;
            }
        }, rejected);
        return new RenderOutput(objects, rls, origins);
    }

    /// <summary>
    /// Renders and hands each object to <paramref name="emit"/> (in apply order) as soon as its Router is patched,
    /// so a caller that serializes right away never holds every object tree at once; returns the RLS config.
    /// <paramref name="rejected"/>: subjects (<c>Kind ns/name</c>) of input objects that had errors, so a filter
    /// targeting one is not told its Router is missing.
    /// </summary>
    public static RlsConfig Render(IReadOnlyList<Manifest> manifests, RenderSettings settings, List<Diagnostic> diagnostics, Action<JsonObject, Manifest?> emit, IReadOnlySet<string>? rejected = null)
    {
        var map = new SourceMap(manifests);
        var options = new RenderOptions { Gateways = settings.Gateways, ClusterDomain = settings.ClusterDomain };
        foreach (var problem in options.Validate())
        {
            diagnostics.Add(Diagnostic.Error(settings.OptionFor(problem), problem[(problem.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()));
        }

        if (diagnostics.Any(d => d.Severity == Severity.Error))
        {
            return new RlsConfig();
        }

        var routers = Distinct<Router>(manifests, diagnostics);
        var filters = Distinct<IstioFilter>(manifests, diagnostics);
        var rateLimits = Distinct<RateLimit>(manifests, diagnostics);
        var filtersByTarget = filters.ToLookup(f => (f.Resource.Metadata.NamespaceOrDefault, f.Resource.Spec.TargetRef.Name));
        foreach (var (manifest, router) in routers)
        {
            var targeting = filtersByTarget[(router.Metadata.NamespaceOrDefault, router.Metadata.Name)].Select(f => f.Resource).ToList();
            PatchedRouter patched;
            try
            {
                patched = IstioFilterEngine.RenderAndApply(router, targeting, options);
            }
            catch (ArgumentException ex)
            {
                diagnostics.Add(map.Attach(new Diagnostic(Severity.Error, ex.ParamName ?? string.Empty, ex.Message) { Subject = manifest.Subject, Code = DiagnosticCodes.Render }, manifest));
                continue;
            }

            foreach (var outcome in patched.Filters.Outcomes)
            {
                diagnostics.AddRange(map.Attach(outcome.Diagnostics.Select(d => d with { Subject = d.Subject ?? Subject(outcome.Filter) })));
            }

            foreach (var obj in patched.All)
            {
                emit(obj, manifest);
            }
        }

        var routerKeys = routers.Select(r => (r.Resource.Metadata.NamespaceOrDefault, r.Resource.Metadata.Name)).ToHashSet();
        foreach (var (manifest, filter) in filters.Where(f => !routerKeys.Contains((f.Resource.Metadata.NamespaceOrDefault, f.Resource.Spec.TargetRef.Name))))
        {
            var target = $"{Router.KindValue} {filter.Metadata.NamespaceOrDefault}/{filter.Spec.TargetRef.Name}";
            var why = rejected?.Contains(target) == true ? "has errors (reported for it)" : "is not in the input";
            diagnostics.Add(map.Attach(
                Diagnostic.Warning("spec.targetRef.name", $"Router '{filter.Spec.TargetRef.Name}' {why}; this filter was not applied") with { Subject = manifest.Subject, Code = FilterOutcome.NoMatchCode },
                manifest));
        }

        var limits = RateLimitRenderer.Render(rateLimits.Select(r => r.Resource), new RateLimitRenderOptions { ClusterDomain = settings.ClusterDomain });
        diagnostics.AddRange(map.Attach(limits.Diagnostics));
        foreach (var filter in limits.EnvoyFilters)
        {
            emit(filter, FirstSource(filter, map));
        }

        return limits.RlsConfig;
    }

    /// <summary>The first RateLimit an EnvoyFilter was rendered from (its sources annotation lists <c>ns/name</c>s).</summary>
    private static Manifest? FirstSource(JsonObject filter, SourceMap map)
    {
        var sources = (string?)filter["metadata"]?["annotations"]?[RateLimitRenderer.SourcesAnnotation];
        var first = sources?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is null ? null : map.Find(RateLimit.KindValue + " " + first);
    }

    private static string Subject(IMeshResource resource) => $"{resource.Kind} {resource.Metadata.NamespaceOrDefault}/{resource.Metadata.Name}";

    /// <summary>The typed resources of one kind; a second object with the same namespace/name is an error (the cluster would keep only one).</summary>
    private static List<(Manifest Manifest, T Resource)> Distinct<T>(IReadOnlyList<Manifest> manifests, List<Diagnostic> diagnostics)
        where T : class, IMeshResource
    {
        var seen = new Dictionary<string, Manifest>(StringComparer.Ordinal);
        var list = new List<(Manifest, T)>();
        foreach (var m in manifests)
        {
            if (m.Resource is not T resource)
            {
                continue;
            }

            if (seen.TryGetValue(m.Subject, out var first))
            {
                diagnostics.Add(new Diagnostic(Severity.Error, "metadata.name", $"{m.Subject} is defined twice (first at {first.Source.Locate("metadata.name")})")
                {
                    Code = DiagnosticCodes.Duplicate,
                    Location = m.Source.Locate("metadata.name"),
                    Subject = m.Subject,
                });
                continue;
            }

            seen[m.Subject] = m;
            list.Add((m, resource));
        }

        return list;
    }
}

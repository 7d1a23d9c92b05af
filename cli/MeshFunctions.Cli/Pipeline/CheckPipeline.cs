using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Planning;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// <c>check</c>'s analysis of a whole set, like <c>istioctl analyze</c>: the per-object findings of the parser,
/// what rendering reports, then cross-object rules over the written and rendered Istio objects together.
/// </summary>
internal static class CheckPipeline
{
    public const string DuplicateCode = DiagnosticCodes.Duplicate;
    public const string MissingSubsetCode = "MF0101";
    public const string MissingDestinationRuleCode = "MF0102";
    public const string RiskyRetryCode = "MF0501";
    public const string DefaultRetryCode = "MF0502";

    /// <summary>
    /// Keeps only what the cross-object rules read: workloads, ConfigMaps and Secrets (already validated by the
    /// parser) are cut down to apiVersion, kind, name and namespace, which the duplicate rule needs.
    /// </summary>
    public static Manifest Reduce(Manifest manifest)
    {
        if (manifest.Resource is not null || !(Workloads.IsWorkload(manifest.Object) || manifest.Kind is "ConfigMap" or "Secret"))
        {
            return manifest;
        }

        return Workloads.KeyOnly(manifest);
    }

    public static IReadOnlyList<Diagnostic> Analyze(IReadOnlyList<Manifest> manifests, RenderSettings settings, IReadOnlySet<string>? rejected = null)
    {
        var findings = new List<Diagnostic>();
        var rendered = RenderPipeline.Render(manifests, settings, findings, rejected);
        var objects = new List<AnalyzedObject>();
        var keys = new Dictionary<ObjectKey, AnalyzedObject>();
        foreach (var m in manifests.Where(m => m.Resource is null))
        {
            var obj = new AnalyzedObject(m.Object, m, Rendered: false);
            if (keys.TryGetValue(obj.Key, out var first))
            {
                findings.Add(obj.Finding(Severity.Error, "metadata.name", $"{obj.Key} is defined twice (first at {first.Source.Source.Locate("metadata.name")})", DuplicateCode));
                continue;
            }

            keys[obj.Key] = obj;
            objects.Add(obj);
        }

        foreach (var obj in rendered.Objects)
        {
            if (!rendered.Origins.TryGetValue(obj, out var origin))
            {
                continue;
            }

            var analyzed = new AnalyzedObject(obj, origin, Rendered: true);
            if (keys.TryGetValue(analyzed.Key, out var written))
            {
                findings.Add(written.Finding(Severity.Warning, "metadata.name", $"is also rendered from {origin.Subject}; applying both would overwrite one with the other", DuplicateCode));
                continue;
            }

            keys[analyzed.Key] = analyzed;
            objects.Add(analyzed);
        }

        findings.AddRange(SubsetFindings(objects, settings.ClusterDomain));
        findings.AddRange(RetryFindings(manifests, objects, settings.ClusterDomain));
        findings.AddRange(SidecarRule.Check(objects));
        return findings;
    }

    /// <summary>
    /// Core's subset lookup (the admission guard's): a subset the chosen DestinationRule of the set lacks is an error; a
    /// host no DestinationRule of the set serves is a warning, since the cluster may hold it.
    /// </summary>
    private static IEnumerable<Diagnostic> SubsetFindings(IReadOnlyList<AnalyzedObject> objects, string clusterDomain)
    {
        foreach (var v in SubsetReferences.FindMissing(objects.Select(o => o.Object), new SubsetCheckOptions { ClusterDomain = clusterDomain }))
        {
            var r = v.Reference;
            if (objects.FirstOrDefault(o => o.Key.Group == "networking.istio.io" && o.Key.Kind == "VirtualService" && o.Key.Namespace == r.VirtualServiceNamespace && o.Key.Name == r.VirtualServiceName) is not { } vs)
            {
                continue;
            }

            yield return v.DestinationRuleExists
                ? vs.Finding(Severity.Error, r.Path, v.Message, MissingSubsetCode)
                : vs.Finding(Severity.Warning, r.Path, $"subset '{r.Subset}' of host '{r.Host}': no DestinationRule for this host in the input; the cluster's must define the subset before this VirtualService is applied", MissingDestinationRuleCode);
        }
    }

    /// <summary>Core's gRPC retry rule (the admission webhook's), reported as warnings; Routers of the input count as gRPC services.</summary>
    private static IEnumerable<Diagnostic> RetryFindings(IReadOnlyList<Manifest> manifests, IReadOnlyList<AnalyzedObject> objects, string clusterDomain)
    {
        var routers = manifests.Select(m => m.Resource).OfType<Router>().ToList();
        var services = objects.Where(o => o.Key.Group.Length == 0 && o.Key.Kind == "Service").Select(o => o.Object).ToList();
        foreach (var vs in objects.Where(o => o.Key.Group == "networking.istio.io" && o.Key.Kind == "VirtualService"))
        {
            foreach (var f in RetryPolicyCheck.Findings(vs.Object, routers, services, clusterDomain))
            {
                yield return vs.Finding(Severity.Warning, f.Path, f.Message, f.Explicit ? RiskyRetryCode : DefaultRetryCode);
            }
        }
    }
}

using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// <c>check</c>'s analysis of a whole set, like <c>istioctl analyze</c>: the per-object findings of the parser,
/// what rendering reports, then cross-object rules over the written and rendered Istio objects together.
/// </summary>
internal static class CheckPipeline
{
    public const string DuplicateCode = DiagnosticCodes.Duplicate;

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

        var metadata = new JsonObject { ["name"] = manifest.Name };
        if (manifest.Namespace is { } ns)
        {
            metadata["namespace"] = ns;
        }

        var stub = new JsonObject { ["apiVersion"] = manifest.ApiVersion, ["kind"] = manifest.Kind, ["metadata"] = metadata };
        return manifest with { Object = stub, Source = manifest.Source.WithoutContent() };
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

        findings.AddRange(SubsetRule.Check(objects, settings.ClusterDomain));
        findings.AddRange(GrpcRetryRule.Check(objects, settings.ClusterDomain));
        findings.AddRange(SidecarRule.Check(objects));
        return findings;
    }
}

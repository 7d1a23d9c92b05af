using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>Runs the workload mutator over every workload of a set, with context taken from the same set.</summary>
internal static class InjectPipeline
{
    /// <summary>
    /// Hands each mutated workload to <paramref name="emit"/> as soon as it is decided (so a caller that serializes
    /// it at once never holds every mutated tree), and returns the default Sidecar the webhook creates for each
    /// Namespace of the set. <paramref name="expand"/> gives a workload's whole object when the reader kept only a stub of it
    /// (see <see cref="CompactWorkloads"/>); it is called for one workload at a time, and such a fresh copy is mutated in place.
    /// <paramref name="patches"/>: the caller reads <see cref="MutationResult.Patch"/> (otherwise it may be left empty).
    /// </summary>
    public static IReadOnlyList<JsonObject> Run(
        IReadOnlyList<Manifest> manifests, InjectionOptions options, List<Diagnostic> diagnostics, Action<InjectedWorkload> emit, Func<Manifest, Manifest>? expand = null, bool patches = false)
    {
        var created = manifests
            .Where(m => m.Kind == "Namespace" && m.ApiVersion == "v1")
            .Select(m => SidecarDefaults.DefaultSidecar(m.Name))
            .ToList();
        var mutator = new WorkloadMutator(options);
        var namespaceLabels = manifests
            .Where(m => m.Kind == "Namespace" && m.ApiVersion == "v1")
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Workloads.StringMap(g.Last().Object["metadata"]?["labels"]), StringComparer.Ordinal);
        var selectors = ServiceSelectors(manifests);
        foreach (var stored in manifests.Where(m => Workloads.IsWorkload(m.Object)))
        {
            var manifest = expand is null ? stored : expand(stored);
            var ns = manifest.Namespace ?? "default";
            var podLabels = Workloads.PodLabels(manifest.Object);
            var context = new MutationContext
            {
                NamespaceLabels = namespaceLabels.GetValueOrDefault(ns),

                // Only a positive answer is certain: the cluster may hold Services the input does not.
                SelectedByService = selectors.Any(s => s.Namespace == ns && Workloads.Selects(s.Selector, podLabels)) ? true : null,
            };
            // A workload expanded from its compact copy is this loop's own: mutate it in place, and compute the patch only for --patch.
            var result = !ReferenceEquals(manifest, stored) && !patches ? mutator.MutateOwned(manifest.Object, context) : mutator.Mutate(manifest.Object, context);
            if (!result.Allowed)
            {
                diagnostics.Add(Locate(manifest, Severity.Error, result.Reason ?? "denied"));
                continue;
            }

            diagnostics.AddRange(result.Warnings.Select(w => Locate(manifest, Severity.Warning, w)));
            emit(new InjectedWorkload(manifest, result));
        }

        return created;
    }

    /// <summary>Selectors of the Services in the set, and of the Services Routers render (they select the app label).</summary>
    private static List<(string Namespace, IReadOnlyDictionary<string, string> Selector)> ServiceSelectors(IReadOnlyList<Manifest> manifests)
    {
        var selectors = new List<(string, IReadOnlyDictionary<string, string>)>();
        foreach (var m in manifests)
        {
            if (m.Kind == "Service" && m.ApiVersion == "v1")
            {
                selectors.Add((m.Namespace ?? "default", Workloads.StringMap(m.Object["spec"]?["selector"])));
            }
            else if (m.Resource is Router router)
            {
                selectors.Add((router.Metadata.NamespaceOrDefault, new Dictionary<string, string>(StringComparer.Ordinal) { ["app"] = router.Metadata.Name }));
            }
        }

        return selectors;
    }

    /// <summary>Admission reasons read <c>path: message</c>; the path finds the line.</summary>
    private static Diagnostic Locate(Manifest manifest, Severity severity, string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var path = colon > 0 && !message[..colon].Contains(' ', StringComparison.Ordinal) ? message[..colon] : string.Empty;
        var text = path.Length > 0 ? message[(colon + 2)..] : message;

        // A message without a path is about the pods: point at the pod template rather than the document start.
        var where = path.Length > 0 ? path : Workloads.PodTemplatePath(manifest.Object);
        return new Diagnostic(severity, path, text)
        {
            Location = manifest.Source.Locate(where),
            Subject = manifest.Subject,
            Code = severity == Severity.Error ? DiagnosticCodes.InjectDenied : DiagnosticCodes.InjectWarning,
        };
    }
}

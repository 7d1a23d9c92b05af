using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// Sidecar duplicates, as <c>istioctl analyze</c> reports them: Istio picks an arbitrary one when a namespace has
/// two selector-less Sidecars (its default), or when two Sidecars select the same workloads.
/// </summary>
internal static class SidecarRule
{
    public const string DuplicateDefaultCode = "MF0601";
    public const string SameSelectorCode = "MF0602";

    public static IEnumerable<Diagnostic> Check(IReadOnlyList<AnalyzedObject> objects)
    {
        var sidecars = objects.Where(o => o.Key.Group == "networking.istio.io" && o.Key.Kind == "Sidecar");
        foreach (var group in sidecars.GroupBy(o => o.Key.Namespace, StringComparer.Ordinal))
        {
            var bySelector = group.GroupBy(o => SelectorKey(o), StringComparer.Ordinal);
            foreach (var same in bySelector.Where(g => g.Count() > 1))
            {
                var first = same.First();
                foreach (var other in same.Skip(1))
                {
                    yield return same.Key.Length == 0
                        ? other.Finding(Severity.Error, "spec", $"namespace '{group.Key}' already has a Sidecar without workloadSelector ('{first.Key.Name}'); Istio would use only one of them as the namespace default", DuplicateDefaultCode)
                        : other.Finding(Severity.Warning, "spec.workloadSelector", $"selects the same workloads as Sidecar '{first.Key.Name}' ({same.Key}); Istio would apply only one of them", SameSelectorCode);
                }
            }
        }
    }

    private static string SelectorKey(AnalyzedObject sidecar)
    {
        var labels = Workloads.StringMap(sidecar.Object["spec"]?["workloadSelector"]?["labels"]);
        return string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }
}

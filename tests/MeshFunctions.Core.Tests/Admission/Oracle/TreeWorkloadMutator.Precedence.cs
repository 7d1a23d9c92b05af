using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <remarks>
/// Precedence between the workload's <c>istio-injection</c> label and an explicit pod-template choice
/// (<c>sidecar.istio.io/inject</c> or <c>istio.io/rev</c> written on the template by a person):
/// <list type="number">
/// <item>An explicit template choice wins and is never rewritten: overturning <c>inject: "true"</c> would remove a
/// running sidecar on the next rollout, overturning <c>"false"</c> would add one the author refused. Whenever the
/// workload label says otherwise, a warning names both so the person can make them agree.</item>
/// <item>Otherwise the workload label decides, as before. Every label the mutator writes is recorded in the template
/// annotation <c>meshfunctions.io/injection-decision</c> (<c>key=value</c>), so a later request can tell our own earlier
/// write (which follows the workload label: "flip the label, redeploy" rolls back) from a person's choice (the label
/// differs from the record, or there is no record).</item>
/// </list>
/// Bare Pods have no template: their labels are their own and the existing rules apply.
/// </remarks>
internal sealed partial class TreeWorkloadMutator
{
    private bool? ExplicitChoice(JsonObject root, TreePodTemplate template, Dictionary<string, string> labels, Dictionary<string, string> annotations, List<string> warnings)
    {
        if (template.Path.Length == 0)
        {
            return null;
        }

        annotations.TryGetValue(IstioNames.InjectionDecisionAnnotation, out var recorded);
        bool? choice = null;
        string? said = null;
        if (labels.TryGetValue(IstioNames.InjectLabel, out var inject) && recorded != IstioNames.InjectLabel + "=" + inject)
        {
            choice = inject == "true";
            said = $"{IstioNames.InjectLabel}={inject}";
        }
        else if (labels.TryGetValue(IstioNames.RevisionLabel, out var rev) && recorded != IstioNames.RevisionLabel + "=" + rev)
        {
            choice = true;
            said = $"{IstioNames.RevisionLabel}={rev}";
        }

        if (choice is not { } explicitOptIn)
        {
            return null;
        }

        var workloadLabels = TreeNav.StringMap(TreeNav.Object(root, "metadata", "metadata"), "labels", "metadata.labels");
        var workload = workloadLabels.GetValueOrDefault(IstioNames.InjectionLabel);
        if (workload is not null && (workload == "enabled") != explicitOptIn)
        {
            warnings.Add($"template {said} overrides {template.Kind} label istio-injection={workload}; make them agree");
        }

        return explicitOptIn;
    }

    private static void RecordDecision(TreePodTemplate t)
    {
        var labels = (t.Holder["metadata"] as JsonObject)?["labels"] as JsonObject;
        var written = labels?[IstioNames.RevisionLabel] is JsonValue rev && rev.TryGetValue<string>(out var r)
            ? IstioNames.RevisionLabel + "=" + r
            : labels?[IstioNames.InjectLabel] is JsonValue inj && inj.TryGetValue<string>(out var i) ? IstioNames.InjectLabel + "=" + i : null;
        if (written is not null)
        {
            t.SetMetadataEntry("annotations", IstioNames.InjectionDecisionAnnotation, written);
        }
    }
}

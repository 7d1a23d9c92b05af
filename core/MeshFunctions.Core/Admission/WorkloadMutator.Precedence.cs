using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission;

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
public sealed partial class WorkloadMutator
{
    private static bool? ExplicitChoice<T>(PodTemplate<T> template, StringMap<T> labels, StringMap<T> annotations, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        if (template.Path.Length == 0)
        {
            return null;
        }

        annotations.TryGetValue(IstioKeys.InjectionDecisionAnnotation, out var recorded);
        bool? choice = null;
        string? said = null;
        if (labels.TryGetValue(IstioKeys.InjectLabel, out var inject) && !IsRecord(recorded, IstioNames.InjectLabel, inject))
        {
            choice = inject == "true";
            said = $"{IstioNames.InjectLabel}={inject}";
        }
        else if (labels.TryGetValue(IstioKeys.RevisionLabel, out var rev) && !IsRecord(recorded, IstioNames.RevisionLabel, rev))
        {
            choice = true;
            said = $"{IstioNames.RevisionLabel}={rev}";
        }

        if (choice is not { } explicitOptIn)
        {
            return null;
        }

        var workload = template.WorkloadLabels(labels).GetValueOrDefault(IstioKeys.InjectionLabel);
        if (workload is not null && (workload == "enabled") != explicitOptIn)
        {
            warnings.Add($"template {said} overrides {template.Kind} label istio-injection={workload}; make them agree");
        }

        return explicitOptIn;
    }

    private static void RecordDecision<T>(PodTemplate<T> t)
        where T : struct, IJsonView<T>
    {
        var (key, value) = t.Current("labels", IstioKeys.RevisionLabel) is { } r ? (IstioNames.RevisionLabel, r)
            : t.Current("labels", IstioKeys.InjectLabel) is { } i ? (IstioNames.InjectLabel, i)
            : (null, null);
        if (key is null || value is null || IsRecord(t.Current("annotations", IstioKeys.InjectionDecisionAnnotation), key, value))
        {
            // Nothing written, or already recorded (reinvocation, a template mutated before).
            return;
        }

        t.SetMetadataEntry("annotations", IstioKeys.InjectionDecisionAnnotation, new TextValue(key + "=" + value));
    }

    /// <summary>Whether <paramref name="recorded"/> is <c>key=value</c> (compared without making that string).</summary>
    private static bool IsRecord(string? recorded, string key, string? value) =>
        recorded is not null && value is not null && recorded.Length == key.Length + 1 + value.Length
        && recorded.StartsWith(key, StringComparison.Ordinal) && recorded[key.Length] == '='
        && recorded.AsSpan(key.Length + 1).SequenceEqual(value);
}

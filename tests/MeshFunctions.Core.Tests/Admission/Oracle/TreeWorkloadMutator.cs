using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>
/// TEST ORACLE: core's WorkloadMutator as it was before its reads went through <c>IJsonView</c> (it edited a node tree and
/// recorded the writes). Kept only to compare the view-based mutator against (<c>WorkloadMutatorOraclePropertyTests</c>).
/// The mutating admission rules for pods and pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// Job, CronJob): per-workload opt-in through the <c>istio-injection</c> label, the proxy lifecycle for clean startup
/// and shutdown, and the locality label for pods no Service selects. Pure: the input is never modified, and mutating
/// the result again yields an empty patch (admission reinvocation).
/// </summary>
internal sealed partial class TreeWorkloadMutator
{
    private readonly InjectionOptions _options;

    /// <summary>Creates a mutator; throws <see cref="ArgumentException"/> listing every option error.</summary>
    public TreeWorkloadMutator(InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid injection options: " + string.Join("; ", errors.Select(e => e.ToString())), nameof(options));
        }

        _options = options;
    }

    /// <summary>
    /// Mutates a copy of <paramref name="workload"/>. Objects that are not workloads come back unchanged with an empty
    /// patch; malformed workloads and an unreadable <c>proxy.istio.io/config</c> are denied with a message naming the field.
    /// </summary>
    public MutationResult Mutate(JsonObject workload, MutationContext? context = null) => MutateCore(workload, context, owned: false);

    /// <summary>
    /// Mutates <paramref name="workload"/> itself (no copy): for a caller that owns the object (meshctl inject, the webhook's
    /// parsed request). <see cref="MutationResult.Patch"/> holds the operations that were applied, so applied to the object
    /// as it was they give <see cref="MutationResult.Mutated"/>. When denied, <see cref="MutationResult.Mutated"/> is the
    /// object as far as it was changed and the patch is empty.
    /// </summary>
    public MutationResult MutateOwned(JsonObject workload, MutationContext? context = null) => MutateCore(workload, context, owned: true);

    private MutationResult MutateCore(JsonObject workload, MutationContext? context, bool owned)
    {
        ArgumentNullException.ThrowIfNull(workload);
        context ??= MutationContext.Empty;
        var mutated = owned ? workload : (JsonObject)workload.DeepClone();
        var warnings = new List<string>();
        bool injected;
        TreePodTemplate? template;
        try
        {
            if ((template = TreePodTemplate.Find(mutated)) is null)
            {
                return new MutationResult { Allowed = true, Mutated = mutated };
            }

            injected = MutatePod(mutated, template, context, warnings);
        }
        catch (AdmissionInputException ex)
        {
            return new MutationResult { Allowed = false, Reason = ex.Describe(), Mutated = owned ? mutated : (JsonObject)workload.DeepClone() };
        }

        // The patch is what the rules wrote, recorded as they wrote it (TreePatchRecorder): no diff of the input and the result.
        return new MutationResult
        {
            Allowed = true,
            Patch = template.Edits.Operations,
            Mutated = mutated,
            Warnings = warnings,
            Injected = injected,
        };
    }

    private bool MutatePod(JsonObject root, TreePodTemplate template, MutationContext context, List<string> warnings)
    {
        var pod = template.Holder;
        var meta = TreeNav.Object(pod, "metadata", template.At("metadata"));
        var labels = TreeNav.StringMap(meta, "labels", template.At("metadata.labels"));
        var annotations = TreeNav.StringMap(meta, "annotations", template.At("metadata.annotations"));
        var spec = TreeNav.Object(pod, "spec", template.At("spec")) ?? throw new AdmissionInputException(template.At("spec"), "is required");
        var hostNetwork = TreeNav.Bool(spec, "hostNetwork", template.At("spec.hostNetwork"));

        if (annotations.ContainsKey(IstioNames.StatusAnnotation))
        {
            // Istio already rendered the proxy: labels and proxy.istio.io/config are read only at injection time, so
            // changing them now would mislead; only the shutdown timing can still be made right.
            warnings.Add("pod is already injected (sidecar.istio.io/status); only the proxy preStop and grace period are checked");
            ApplyLifecycle(template, spec, annotations, warnings, alreadyInjected: true);
            return true;
        }

        if (ExplicitChoice(root, template, labels, annotations, warnings) is { } explicitOptIn)
        {
            // The template's own choice stands (see TreeWorkloadMutator.Precedence.cs); only the lifecycle follows it.
            if (explicitOptIn && hostNetwork)
            {
                warnings.Add("hostNetwork pods are never injected; the template's explicit injection choice has no effect");
            }

            if (!explicitOptIn || hostNetwork)
            {
                return false;
            }

            WarnAboutNamespace(context, warnings);
            ApplyLifecycle(template, spec, annotations, warnings, alreadyInjected: false);
            ApplyLocality(template, spec, labels, context, warnings);
            return true;
        }

        var optIn = ReadOptIn(root, template, labels, warnings);
        if (optIn && hostNetwork)
        {
            warnings.Add("hostNetwork pods are never injected; sidecar.istio.io/inject set to \"false\"");
            optIn = false;
        }

        SetInjectionLabels(template, labels, optIn);
        if (template.Path.Length > 0)
        {
            RecordDecision(template);
        }
        if (!optIn)
        {
            if (!hostNetwork && context.NamespaceLabels?.GetValueOrDefault(IstioNames.InjectionLabel) == "enabled" && !labels.ContainsKey(IstioNames.InjectLabel))
            {
                // The namespace alone would have meshed these pods; say so, since inject=false takes them out.
                warnings.Add("namespace has istio-injection=enabled but this workload is not opted in; its pods get inject=false");
            }

            return false;
        }

        WarnAboutNamespace(context, warnings);
        ApplyLifecycle(template, spec, annotations, warnings, alreadyInjected: false);
        ApplyLocality(template, spec, labels, context, warnings);
        return true;
    }

    private bool ReadOptIn(JsonObject root, TreePodTemplate template, Dictionary<string, string> podLabels, List<string> warnings)
    {
        // The workload's own label decides (for a bare Pod that is the pod's label). The template label is a fallback so
        // that a template-only label still works; the value we write back is always derived, so flipping the workload
        // label and redeploying rolls back even though an earlier mutation stored "true" in the template.
        var workloadLabels = TreeNav.StringMap(TreeNav.Object(root, "metadata", "metadata"), "labels", "metadata.labels");
        if (!workloadLabels.TryGetValue(IstioNames.InjectionLabel, out var value) && template.Path.Length > 0)
        {
            podLabels.TryGetValue(IstioNames.InjectionLabel, out value);
        }

        if (value is null && template.Path.Length == 0)
        {
            // A Pod created from a template we already mutated carries the decision in its labels, not istio-injection
            // (that label sits on the Deployment's own metadata). Keep that decision instead of overturning it.
            if (podLabels.TryGetValue(IstioNames.InjectLabel, out var inject))
            {
                return inject == "true";
            }

            return _options.Revision is { } rev && podLabels.TryGetValue(IstioNames.RevisionLabel, out var podRev) && podRev == rev;
        }

        switch (value)
        {
            case "enabled":
                return true;
            case null or "disabled":
                return false;
            default:
                warnings.Add($"label istio-injection='{value}' is neither 'enabled' nor 'disabled'; treated as disabled");
                return false;
        }
    }

    private void SetInjectionLabels(TreePodTemplate t, Dictionary<string, string> labels, bool optIn)
    {
        if (!optIn)
        {
            t.SetMetadataEntry("labels", IstioNames.InjectLabel, "false");
            return;
        }

        if (_options.Revision is { } revision)
        {
            t.SetMetadataEntry("labels", IstioNames.RevisionLabel, revision);
            if (labels.TryGetValue(IstioNames.InjectLabel, out var inject) && inject == "false")
            {
                // Left over from an opt-out: every Istio webhook entry excludes inject=false.
                t.Edits.RemoveMetadataEntry(t.Holder, t.Pointer, "labels", IstioNames.InjectLabel);
            }

            return;
        }

        t.SetMetadataEntry("labels", IstioNames.InjectLabel, "true");
    }

    private void WarnAboutNamespace(MutationContext context, List<string> warnings)
    {
        if (context.NamespaceLabels is not { } ns)
        {
            return;
        }

        if (ns.TryGetValue(IstioNames.InjectionLabel, out var injection))
        {
            if (injection != "enabled")
            {
                warnings.Add($"namespace label istio-injection={injection} excludes the namespace from Istio injection; the pod will not get a proxy");
            }
            else if (_options.Revision is { } rev)
            {
                warnings.Add($"namespace label istio-injection=enabled takes precedence over istio.io/rev={rev}; pods get the default revision");
            }
        }
        else if (ns.TryGetValue(IstioNames.RevisionLabel, out var nsRev) && nsRev != (_options.Revision ?? "default"))
        {
            warnings.Add($"namespace label istio.io/rev={nsRev} decides the control plane; the pod's revision choice is ignored");
        }
    }
}

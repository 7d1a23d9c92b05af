using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// The mutating admission rules for pods and pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// Job, CronJob): per-workload opt-in through the <c>istio-injection</c> label, the proxy lifecycle for clean startup
/// and shutdown, and the locality label for pods no Service selects. The rules only read the workload (through a view,
/// the same for meshctl's node trees and the webhook's parsed document) and decide the JSON Patch operations; mutating
/// the result again yields an empty patch (admission reinvocation).
/// </summary>
public sealed partial class WorkloadMutator
{
    // Grace periods and proxy preStop sleeps below this many seconds have their patch value made once.
    private const int CachedSeconds = 1024;

    private static readonly TextValue TrueValue = PatchValue.Shared(new TextValue("true"));
    private static readonly TextValue FalseValue = PatchValue.Shared(new TextValue("false"));

    private readonly InjectionOptions _options;

    // proxy.istio.io/config as the rules write it for a pod that sets none (and read back without parsing it again).
    private readonly string _defaultProxyConfig;

    // The values the rules write that only depend on the options, made once (patch values are never changed once made).
    private readonly TextValue _defaultProxyConfigValue;
    private readonly JsonText _defaultProxyConfigText;
    private readonly TextValue? _revisionValue;
    private readonly PatchValue?[] _preStopHooks = new PatchValue?[CachedSeconds];
    private readonly PatchValue?[] _graceValues = new PatchValue?[CachedSeconds];

    /// <summary>
    /// Creates a mutator; throws <see cref="ArgumentException"/> listing every option error. The options are validated and
    /// read now: change them before, not after (the values the rules write are made from them once).
    /// </summary>
    public WorkloadMutator(InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid injection options: " + string.Join("; ", errors.Select(e => e.ToString())), nameof(options));
        }

        _options = options;
        var config = new JsonObject();
        MergeProxyConfig(config, []);
        _defaultProxyConfig = config.ToJsonString();
        _defaultProxyConfigValue = PatchValue.Shared(new TextValue(_defaultProxyConfig));
        _defaultProxyConfigText = new JsonText(_defaultProxyConfig);
        _revisionValue = options.Revision is { } revision ? PatchValue.Shared(new TextValue(revision)) : null;
    }

    /// <summary>
    /// Mutates a copy of <paramref name="workload"/>. Objects that are not workloads come back unchanged with an empty
    /// patch; malformed workloads and an unreadable <c>proxy.istio.io/config</c> are denied with a message naming the field.
    /// </summary>
    public MutationResult Mutate(JsonObject workload, MutationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return Result(Decide(new NodeView(workload), context), (JsonObject)workload.DeepClone());
    }

    /// <summary>
    /// Mutates <paramref name="workload"/> itself (no copy): for a caller that owns the object (meshctl inject).
    /// <see cref="MutationResult.Patch"/> holds the operations that were applied, so applied to the object as it was they
    /// give <see cref="MutationResult.Mutated"/>. When denied, the object is left as it was and the patch is empty.
    /// </summary>
    public MutationResult MutateOwned(JsonObject workload, MutationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return Result(Decide(new NodeView(workload), context), workload);
    }

    /// <summary>
    /// Decides the patch for a workload read straight from a parsed document (the webhook's request object): the same
    /// rules, warnings and denials as <see cref="Mutate(JsonObject, MutationContext?)"/>, without building a node tree.
    /// </summary>
    public MutationDecision Decide(JsonElement workload, MutationContext? context = null) => Decide(new ElementView(workload), context);

    private static MutationResult Result(MutationDecision decision, JsonObject target)
    {
        // The same operations the webhook returns, applied to meshctl's own tree.
        foreach (var op in decision.Patch)
        {
            _ = JsonPatchApplier.ApplyOne(target, op);
        }

        return new MutationResult
        {
            Allowed = decision.Allowed,
            Reason = decision.Reason,
            Patch = decision.Patch,
            Mutated = target,
            Warnings = decision.Warnings,
            Injected = decision.Injected,
        };
    }

    private MutationDecision Decide<T>(T workload, MutationContext? context)
        where T : struct, IJsonView<T>
    {
        context ??= MutationContext.Empty;
        var warnings = new List<string>();
        bool injected;
        PodTemplate<T>? template;
        try
        {
            if ((template = PodTemplate<T>.Find(workload)) is null)
            {
                return new MutationDecision { Allowed = true };
            }

            injected = MutatePod(template, context, warnings);
        }
        catch (AdmissionInputException ex)
        {
            return new MutationDecision { Allowed = false, Reason = ex.Describe() };
        }

        return new MutationDecision
        {
            Allowed = true,
            Patch = template.Edits.Operations,
            Warnings = warnings,
            Injected = injected,
        };
    }

    private bool MutatePod<T>(PodTemplate<T> template, MutationContext context, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        var meta = JsonNav.Object(template.Metadata, template.At("metadata"));
        var labels = JsonNav.StringMap(meta[PodFields.Labels], template.At("metadata.labels"));
        var annotations = JsonNav.StringMap(meta[PodFields.Annotations], template.At("metadata.annotations"));
        var spec = JsonNav.Object(template.Holder[PodFields.Spec], template.At("spec"));
        if (!spec.IsObject)
        {
            throw new AdmissionInputException(template.At("spec"), "is required");
        }

        var hostNetwork = JsonNav.Bool(spec[PodFields.HostNetwork], template.At("spec.hostNetwork"));

        if (annotations.ContainsKey(IstioKeys.StatusAnnotation))
        {
            // Istio already rendered the proxy: labels and proxy.istio.io/config are read only at injection time, so
            // changing them now would mislead; only the shutdown timing can still be made right.
            warnings.Add("pod is already injected (sidecar.istio.io/status); only the proxy preStop and grace period are checked");
            ApplyLifecycle(template, spec, annotations, warnings, alreadyInjected: true);
            return true;
        }

        if (ExplicitChoice(template, labels, annotations, warnings) is { } explicitOptIn)
        {
            // The template's own choice stands (see WorkloadMutator.Precedence.cs); only the lifecycle follows it.
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

        var optIn = ReadOptIn(template, labels, warnings);
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
            if (!hostNetwork && context.NamespaceLabels?.GetValueOrDefault(IstioNames.InjectionLabel) == "enabled" && !labels.ContainsKey(IstioKeys.InjectLabel))
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

    private bool ReadOptIn<T>(PodTemplate<T> template, StringMap<T> podLabels, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        // The workload's own label decides (for a bare Pod that is the pod's label). The template label is a fallback so
        // that a template-only label still works; the value we write back is always derived, so flipping the workload
        // label and redeploying rolls back even though an earlier mutation stored "true" in the template.
        var value = template.WorkloadLabels(podLabels)[IstioKeys.InjectionLabel];
        if (value.Kind != JsonValueKind.String && template.Path.Length > 0)
        {
            value = podLabels[IstioKeys.InjectionLabel];
        }

        if (value.Kind != JsonValueKind.String && template.Path.Length == 0)
        {
            // A Pod created from a template we already mutated carries the decision in its labels, not istio-injection
            // (that label sits on the Deployment's own metadata). Keep that decision instead of overturning it.
            var inject = podLabels[IstioKeys.InjectLabel];
            if (inject.Kind == JsonValueKind.String)
            {
                return inject.ValueEquals(IstioKeys.True);
            }

            return _options.Revision is { } rev && podLabels[IstioKeys.RevisionLabel].ValueEquals(rev);
        }

        // Label values are strings (checked): compared in place, read only for the warning.
        if (value.ValueEquals(IstioKeys.Enabled))
        {
            return true;
        }

        if (value.Kind != JsonValueKind.String || value.ValueEquals(IstioKeys.Disabled))
        {
            return false;
        }

        warnings.Add($"label istio-injection='{value.String}' is neither 'enabled' nor 'disabled'; treated as disabled");
        return false;
    }

    private void SetInjectionLabels<T>(PodTemplate<T> t, StringMap<T> labels, bool optIn)
        where T : struct, IJsonView<T>
    {
        if (!optIn)
        {
            t.SetMetadataEntry("labels", IstioKeys.InjectLabel, FalseValue);
            return;
        }

        if (_revisionValue is { } revision)
        {
            t.SetMetadataEntry("labels", IstioKeys.RevisionLabel, revision);
            if (labels[IstioKeys.InjectLabel].ValueEquals(IstioKeys.False))
            {
                // Left over from an opt-out: every Istio webhook entry excludes inject=false.
                t.RemoveMetadataEntry("labels", IstioKeys.InjectLabel);
            }

            return;
        }

        t.SetMetadataEntry("labels", IstioKeys.InjectLabel, TrueValue);
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

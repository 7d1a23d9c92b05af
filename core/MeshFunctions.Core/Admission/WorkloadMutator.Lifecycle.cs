using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission;

/// <summary>The proxy's startup and shutdown: ProxyConfig, postStart wait, preStop sleep and the grace period.</summary>
public sealed partial class WorkloadMutator
{
    private const int KubernetesDefaultGraceSeconds = 30;

    private static readonly TextValue AlwaysValue = PatchValue.Shared(new TextValue("Always"));
    private static readonly TextValue ProxyNameValue = PatchValue.Shared(new TextValue(IstioNames.ProxyContainer));
    private static readonly JsonText PilotAgent = new("pilot-agent");
    private static readonly JsonText Wait = new("wait");

    private void ApplyLifecycle<T>(PodTemplate<T> t, T spec, StringMap<T> annotations, List<string> warnings, bool alreadyInjected)
        where T : struct, IJsonView<T>
    {
        var containers = JsonNav.Containers(spec[PodFields.Containers], t.At("spec.containers"));
        var inits = JsonNav.Containers(spec[PodFields.InitContainers], t.At("spec.initContainers"));
        var proxyInit = inits.IndexOfProxy();
        var proxyMain = containers.IndexOfProxy();
        var native = DecideNative(t, inits, proxyInit, proxyMain, annotations, warnings, alreadyInjected);

        var drain = ProxyConfig(t, annotations, warnings, alreadyInjected);

        // Native sidecars (init containers with restartPolicy Always) are stopped after the app containers too, so
        // their preStop counts like an app container's.
        var required = RequiredPreStop(containers, inits, warnings);

        ProxyContainer<T> proxy;
        if (native)
        {
            if (proxyInit >= 0)
            {
                proxy = new(inits[proxyInit], t.Shape.ContainerPointer(init: true, proxyInit));
                var restartPolicy = inits[proxyInit][PodFields.RestartPolicy];
                if (!alreadyInjected && !restartPolicy.ValueEquals(IstioKeys.Always))
                {
                    t.Edits.Set(proxy.Pointer + "/restartPolicy", restartPolicy.Kind != JsonValueKind.Undefined, AlwaysValue);
                }
            }
            else
            {
                proxy = AppendContainer(t, inits, native: true);
            }
        }
        else if (proxyMain >= 0)
        {
            proxy = new(containers[proxyMain], t.Shape.ContainerPointer(init: false, proxyMain));
        }
        else if (alreadyInjected)
        {
            warnings.Add("already-injected pod has no istio-proxy container; left unchanged");
            return;
        }
        else
        {
            proxy = AppendContainer(t, containers, native: false);
        }

        if (t.IsJob && !native && !alreadyInjected)
        {
            warnings.Add("Job pods with a regular istio-proxy container never finish unless the app calls /quitquitquit; prefer native sidecars");
        }

        var lifecycle = proxy.View[PodFields.Lifecycle];
        if (!JsonNav.IsObjectOrAbsent(lifecycle))
        {
            // The field path is only built for the message.
            throw new AdmissionInputException(t.At(native ? "spec.initContainers[istio-proxy]" : "spec.containers[istio-proxy]") + ".lifecycle", "must be an object");
        }

        if (!lifecycle.IsObject)
        {
            lifecycle = default;
        }
        if (!native && !alreadyInjected && _options.HoldApplicationUntilProxyStarts)
        {
            EnsurePostStart(t.Edits, proxy, lifecycle, warnings);
        }

        var effective = EnsurePreStop(t.Edits, proxy, required, warnings);
        var need = effective + drain;
        var grace = spec[PodFields.TerminationGracePeriodSeconds];
        var current = JsonNav.Integer(grace, t.At("spec.terminationGracePeriodSeconds"));
        if (need > (current ?? KubernetesDefaultGraceSeconds))
        {
            t.Edits.Set(t.Shape.GracePointer, grace.Kind != JsonValueKind.Undefined, Cached(_graceValues, need, static (n, _) => PatchValue.Number(n), false));
        }
    }

    private bool DecideNative<T>(PodTemplate<T> t, ContainerList<T> inits, int proxyInit, int proxyMain, StringMap<T> annotations, List<string> warnings, bool alreadyInjected)
        where T : struct, IJsonView<T>
    {
        if (proxyInit >= 0 && inits[proxyInit][PodFields.RestartPolicy].ValueEquals(IstioKeys.Always))
        {
            if (proxyMain >= 0)
            {
                warnings.Add("istio-proxy is declared both as a native init container and as a container; the init container is used");
            }

            return true;
        }

        if (proxyMain >= 0 || alreadyInjected)
        {
            return false;
        }

        if (annotations.TryGetValue(IstioKeys.NativeSidecarAnnotation, out var declared))
        {
            if (declared is "true" or "false")
            {
                return declared == "true";
            }

            warnings.Add($"annotation {IstioNames.NativeSidecarAnnotation}='{declared}' is not true/false; ignored");
        }

        if (proxyInit >= 0)
        {
            // A partial istio-proxy init container without restartPolicy: the user asked for the native shape.
            return true;
        }

        switch (_options.NativeSidecars)
        {
            case NativeSidecarMode.Enabled:
                // Pin the shape so that Istio renders what we prepared, whatever the node's kubelet version.
                t.SetMetadataEntry("annotations", IstioKeys.NativeSidecarAnnotation, TrueValue);
                return true;
            case NativeSidecarMode.Disabled:
                t.SetMetadataEntry("annotations", IstioKeys.NativeSidecarAnnotation, FalseValue);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Reads <c>proxy.istio.io/config</c>, merges what the rules require into it (unless already injected) and returns the drain seconds.</summary>
    private int ProxyConfig<T>(PodTemplate<T> t, StringMap<T> annotations, List<string> warnings, bool alreadyInjected)
        where T : struct, IJsonView<T>
    {
        var annotation = annotations[IstioKeys.ProxyConfigAnnotation];
        if (annotation.ValueEquals(_defaultProxyConfigText))
        {
            // What the rules wrote before (reinvocation, or a pod from a mutated template): nothing to merge.
            return _options.TerminationDrainSeconds;
        }

        var raw = annotation.String;
        if (string.IsNullOrWhiteSpace(raw))
        {
            if (!alreadyInjected)
            {
                t.SetMetadataEntry("annotations", IstioKeys.ProxyConfigAnnotation, _defaultProxyConfigValue);
            }

            return _options.TerminationDrainSeconds;
        }

        var configPath = t.At($"metadata.annotations['{IstioNames.ProxyConfigAnnotation}']");
        var config = ProxyConfigAnnotation.Parse(raw, configPath);
        var drain = ProxyConfigAnnotation.DrainSeconds(config, configPath) ?? _options.TerminationDrainSeconds;
        if (!alreadyInjected && MergeProxyConfig(config, warnings))
        {
            t.SetMetadataEntry("annotations", IstioKeys.ProxyConfigAnnotation, new TextValue(config.ToJsonString()));
        }

        return drain;
    }

    private bool MergeProxyConfig(JsonObject config, List<string> warnings)
    {
        var changed = false;
        if (_options.HoldApplicationUntilProxyStarts && config[ProxyConfigAnnotation.HoldField]?.GetValue<bool>() != true)
        {
            if (config[ProxyConfigAnnotation.HoldField] is not null)
            {
                warnings.Add("proxy.istio.io/config holdApplicationUntilProxyStarts=false overridden to true (apps must not start before the proxy)");
            }

            config[ProxyConfigAnnotation.HoldField] = true;
            changed = true;
        }

        if (config[ProxyConfigAnnotation.DrainField] is null)
        {
            config[ProxyConfigAnnotation.DrainField] = _options.TerminationDrainSeconds.ToString(CultureInfo.InvariantCulture) + "s";
            changed = true;
        }

        return changed;
    }

    private int RequiredPreStop<T>(ContainerList<T> containers, ContainerList<T> inits, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        int? longest = null;
        List<string>? unknown = null;
        for (var i = 0; i < containers.Length; i++)
        {
            if (!containers.IsProxy(i))
            {
                Measure(containers[i]);
            }
        }

        for (var i = 0; i < inits.Length; i++)
        {
            if (!inits.IsProxy(i) && inits[i][PodFields.RestartPolicy].ValueEquals(IstioKeys.Always))
            {
                Measure(inits[i]);
            }
        }

        var required = (longest ?? 0) + _options.PreStopMarginSeconds;
        if (unknown is not null)
        {
            required = Math.Max(required, _options.DefaultProxyPreStopSeconds);
            warnings.Add($"preStop duration unknown for {string.Join(", ", unknown)}; proxy preStop set to {required}s");
        }

        return required;

        void Measure(T app)
        {
            var preStop = PreStopReader.Read(app);
            if (preStop.Seconds is { } s)
            {
                longest = Math.Max(longest ?? 0, s);
            }
            else if (preStop.IsUnknown)
            {
                (unknown ??= []).Add($"{app[PodFields.Name].String} ({preStop.Description})");
            }
        }
    }

    private static void EnsurePostStart<T>(PatchRecorder edits, ProxyContainer<T> proxy, T lifecycle, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        var existing = lifecycle[PodFields.PostStart];
        if (existing.Kind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            if (!IsPilotAgentWait(existing))
            {
                warnings.Add("istio-proxy postStart is user-defined and kept; it replaces Istio's 'pilot-agent wait'");
            }

            return;
        }

        proxy.SetLifecycle(edits, "postStart", ExecHookValue.PilotAgentWait);
    }

    /// <summary>Whether a postStart is exactly Istio's <c>exec: [pilot-agent, wait]</c> (the one the rules write).</summary>
    private static bool IsPilotAgentWait<T>(T postStart)
        where T : struct, IJsonView<T>
    {
        // Exactly one member each (counted, then read by name: no member list).
        if (postStart.MemberCount != 1 || postStart[PodFields.Exec] is not { IsObject: true } exec
            || exec.MemberCount != 1 || exec[PodFields.Command] is not { Kind: JsonValueKind.Array } command)
        {
            return false;
        }

        return command.Items() is [var program, var argument] && program.ValueEquals(PilotAgent) && argument.ValueEquals(Wait);
    }

    private int EnsurePreStop<T>(PatchRecorder edits, ProxyContainer<T> proxy, int required, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        // A container the rules add has no preStop yet (only the postStart they wrote).
        var existing = proxy.Added is null ? PreStopReader.Read(proxy.View) : PreStop.None;
        if (existing.Seconds is { } declared && declared >= required)
        {
            return declared;
        }

        if (existing.IsUnknown)
        {
            warnings.Add($"istio-proxy preStop ({existing.Description}) is user-defined with no readable duration; kept");
            return required;
        }

        if (existing.Seconds is { } shorter)
        {
            warnings.Add($"istio-proxy preStop waited {shorter}s, less than the longest app preStop + margin; raised to {required}s");
        }

        proxy.SetLifecycle(edits, "preStop", Cached(_preStopHooks, required, static (n, sleepAction) => SleepActionValue.Hook(n, sleepAction), _options.UseSleepAction));
        return required;
    }

    /// <summary>Appends a partial istio-proxy to <paramref name="list"/> (the pod's containers or init containers).</summary>
    private static ProxyContainer<T> AppendContainer<T>(PodTemplate<T> t, ContainerList<T> list, bool native)
        where T : struct, IJsonView<T>
    {
        // A partial container: Istio merges it over its injection template by name.
        var container = new ObjectValue { ["name"] = ProxyNameValue };
        if (native)
        {
            container["restartPolicy"] = AlwaysValue;
        }

        var listPointer = native ? t.Shape.InitContainersPointer : t.Shape.ContainersPointer;
        var pointer = t.Shape.ContainerPointer(native, list.Length);
        if (list.Kind == JsonValueKind.Array)
        {
            t.Edits.Add(pointer, container);
        }
        else
        {
            t.Edits.Set(listPointer, list.Kind != JsonValueKind.Undefined, new ArrayValue(container));
        }

        return new(default, pointer, container);
    }

    /// <summary>The value for <paramref name="n"/> made once (for small <paramref name="n"/>; values are immutable, a race only makes one twice).</summary>
    private static PatchValue Cached<TArg>(PatchValue?[] cache, int n, Func<int, TArg, PatchValue> make, TArg arg)
    {
        if ((uint)n >= (uint)cache.Length)
        {
            return make(n, arg);
        }

        return cache[n] ??= PatchValue.Shared(make(n, arg));
    }
}

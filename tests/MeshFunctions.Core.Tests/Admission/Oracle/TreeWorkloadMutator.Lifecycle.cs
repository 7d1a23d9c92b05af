using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>The proxy's startup and shutdown: ProxyConfig, postStart wait, preStop sleep and the grace period.</summary>
internal sealed partial class TreeWorkloadMutator
{
    private const int KubernetesDefaultGraceSeconds = 30;

    private void ApplyLifecycle(TreePodTemplate t, JsonObject spec, Dictionary<string, string> annotations, List<string> warnings, bool alreadyInjected)
    {
        var containers = TreeNav.Containers(spec, "containers", t.At("spec.containers"));
        var inits = TreeNav.Containers(spec, "initContainers", t.At("spec.initContainers"));
        var proxyInit = inits.FirstOrDefault(IsProxy);
        var proxyMain = containers.FirstOrDefault(IsProxy);
        var native = DecideNative(t, proxyInit, proxyMain, annotations, warnings, alreadyInjected);

        var configPath = t.At($"metadata.annotations['{IstioNames.ProxyConfigAnnotation}']");
        annotations.TryGetValue(IstioNames.ProxyConfigAnnotation, out var rawConfig);
        var config = ProxyConfigAnnotation.Parse(rawConfig, configPath);
        var drain = ProxyConfigAnnotation.DrainSeconds(config, configPath) ?? _options.TerminationDrainSeconds;
        if (!alreadyInjected)
        {
            MergeProxyConfig(t, config, warnings);
        }

        // Native sidecars (init containers with restartPolicy Always) are stopped after the app containers too, so
        // their preStop counts like an app container's.
        var apps = containers.Concat(inits.Where(c => c["restartPolicy"]?.ToString() == "Always")).Where(c => !IsProxy(c));
        var required = RequiredPreStop(apps, warnings);

        var specPointer = t.Pointer + "/spec";
        JsonObject proxy;
        string proxyPointer;
        if (native)
        {
            (proxy, proxyPointer) = proxyInit is not null
                ? (proxyInit, JsonPatch.Pointer(specPointer + "/initContainers", inits.IndexOf(proxyInit)))
                : AppendContainer(t, spec, "initContainers", native: true);
            if (proxyInit is not null && !alreadyInjected && proxy["restartPolicy"]?.ToString() != "Always")
            {
                t.Edits.Set(proxy, proxyPointer, "restartPolicy", "Always");
            }
        }
        else if (proxyMain is not null)
        {
            (proxy, proxyPointer) = (proxyMain, JsonPatch.Pointer(specPointer + "/containers", containers.IndexOf(proxyMain)));
        }
        else if (alreadyInjected)
        {
            warnings.Add("already-injected pod has no istio-proxy container; left unchanged");
            return;
        }
        else
        {
            (proxy, proxyPointer) = AppendContainer(t, spec, "containers", native: false);
        }

        if (t.IsJob && !native && !alreadyInjected)
        {
            warnings.Add("Job pods with a regular istio-proxy container never finish unless the app calls /quitquitquit; prefer native sidecars");
        }

        var proxyPath = t.At(native ? "spec.initContainers[istio-proxy]" : "spec.containers[istio-proxy]");
        var lifecycle = TreeNav.Object(proxy, "lifecycle", proxyPath + ".lifecycle");
        if (!native && !alreadyInjected && _options.HoldApplicationUntilProxyStarts)
        {
            EnsurePostStart(t.Edits, proxy, proxyPointer, lifecycle, warnings);
        }

        var effective = EnsurePreStop(t.Edits, proxy, proxyPointer, required, warnings);
        var need = effective + drain;
        var current = TreeNav.Integer(spec, "terminationGracePeriodSeconds", t.At("spec.terminationGracePeriodSeconds"));
        if (need > (current ?? KubernetesDefaultGraceSeconds))
        {
            t.Edits.Set(spec, specPointer, "terminationGracePeriodSeconds", need);
        }
    }

    private bool DecideNative(TreePodTemplate t, JsonObject? proxyInit, JsonObject? proxyMain, Dictionary<string, string> annotations, List<string> warnings, bool alreadyInjected)
    {
        if (proxyInit is not null && proxyInit["restartPolicy"]?.ToString() == "Always")
        {
            if (proxyMain is not null)
            {
                warnings.Add("istio-proxy is declared both as a native init container and as a container; the init container is used");
            }

            return true;
        }

        if (proxyMain is not null || alreadyInjected)
        {
            return false;
        }

        if (annotations.TryGetValue(IstioNames.NativeSidecarAnnotation, out var declared))
        {
            if (declared is "true" or "false")
            {
                return declared == "true";
            }

            warnings.Add($"annotation {IstioNames.NativeSidecarAnnotation}='{declared}' is not true/false; ignored");
        }

        if (proxyInit is not null)
        {
            // A partial istio-proxy init container without restartPolicy: the user asked for the native shape.
            return true;
        }

        switch (_options.NativeSidecars)
        {
            case NativeSidecarMode.Enabled:
                // Pin the shape so that Istio renders what we prepared, whatever the node's kubelet version.
                t.SetMetadataEntry("annotations", IstioNames.NativeSidecarAnnotation, "true");
                return true;
            case NativeSidecarMode.Disabled:
                t.SetMetadataEntry("annotations", IstioNames.NativeSidecarAnnotation, "false");
                return false;
            default:
                return false;
        }
    }

    private void MergeProxyConfig(TreePodTemplate t, JsonObject config, List<string> warnings)
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
            config[ProxyConfigAnnotation.DrainField] = _options.TerminationDrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";
            changed = true;
        }

        if (changed)
        {
            t.SetMetadataEntry("annotations", IstioNames.ProxyConfigAnnotation, config.ToJsonString());
        }
    }

    private int RequiredPreStop(IEnumerable<JsonObject> apps, List<string> warnings)
    {
        int? longest = null;
        var unknown = new List<string>();
        foreach (var app in apps)
        {
            var preStop = TreePreStopReader.Read(app);
            if (preStop.Seconds is { } s)
            {
                longest = Math.Max(longest ?? 0, s);
            }
            else if (preStop.IsUnknown)
            {
                unknown.Add($"{app["name"]} ({preStop.Description})");
            }
        }

        var required = (longest ?? 0) + _options.PreStopMarginSeconds;
        if (unknown.Count > 0)
        {
            required = Math.Max(required, _options.DefaultProxyPreStopSeconds);
            warnings.Add($"preStop duration unknown for {string.Join(", ", unknown)}; proxy preStop set to {required}s");
        }

        return required;
    }

    private static void EnsurePostStart(TreePatchRecorder edits, JsonObject proxy, string proxyPointer, JsonObject? lifecycle, List<string> warnings)
    {
        var wait = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("pilot-agent", "wait") } };
        if (lifecycle?["postStart"] is { } existing)
        {
            if (!JsonNode.DeepEquals(existing, wait))
            {
                warnings.Add("istio-proxy postStart is user-defined and kept; it replaces Istio's 'pilot-agent wait'");
            }

            return;
        }

        edits.Set(edits.Ensure(proxy, proxyPointer, "lifecycle"), proxyPointer + "/lifecycle", "postStart", wait);
    }

    private int EnsurePreStop(TreePatchRecorder edits, JsonObject proxy, string proxyPointer, int required, List<string> warnings)
    {
        var existing = TreePreStopReader.Read(proxy);
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

        edits.Set(edits.Ensure(proxy, proxyPointer, "lifecycle"), proxyPointer + "/lifecycle", "preStop", TreePreStopReader.SleepHook(required, _options.UseSleepAction));
        return required;
    }

    private static (JsonObject Container, string Pointer) AppendContainer(TreePodTemplate t, JsonObject spec, string list, bool native)
    {
        // A partial container: Istio merges it over its injection template by name.
        var container = new JsonObject { ["name"] = IstioNames.ProxyContainer };
        if (native)
        {
            container["restartPolicy"] = "Always";
        }

        var index = spec[list] is JsonArray existing ? existing.Count : 0;
        t.Edits.Append(spec, t.Pointer + "/spec", list, container);
        return (container, JsonPatch.Pointer(t.Pointer + "/spec/" + list, index));
    }

    private static bool IsProxy(JsonObject container) => container["name"]?.ToString() == IstioNames.ProxyContainer;
}

using MeshFunctions.Core.Admission.Internal;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// The <c>istio-locality</c> label for pods that no Service selects (Job and CronJob pods): without a Service, istiod
/// may not know the pod's locality before the bootstrap, so locality-aware routing from such pods needs the label.
/// </summary>
public sealed partial class WorkloadMutator
{
    private void ApplyLocality<T>(PodTemplate<T> t, T spec, StringMap<T> labels, MutationContext context, List<string> warnings)
        where T : struct, IJsonView<T>
    {
        var selected = context.SelectedByService ?? !t.IsJob;
        if (selected || labels.ContainsKey(IstioKeys.TopologyLocalityLabel) || labels.ContainsKey(IstioKeys.LocalityLabel))
        {
            // Never overwrite a locality someone set (topology.istio.io/locality also takes precedence in Istio ≥ 1.29).
            return;
        }

        var pool = context.NodePool
            ?? JsonNav.StringMap(spec[PodFields.NodeSelector], t.At("spec.nodeSelector")).GetValueOrDefault(_options.NodePoolLabel);
        string? raw = null;
        if (pool is not null && _options.NodePoolLocalities.TryGetValue(pool, out var configured))
        {
            raw = configured;
        }

        raw ??= Locality.FromNodeLabels(context.NodeLabels) ?? _options.DefaultLocality;
        if (raw is null)
        {
            var where = pool is null ? string.Empty : $" for node pool '{pool}'";
            warnings.Add($"no Service selects these pods and no locality is configured{where}; istio-locality not set");
            return;
        }

        if (Locality.Normalize(raw, out var error) is not { } value)
        {
            warnings.Add("istio-locality not set: " + error);
            return;
        }

        t.SetMetadataEntry("labels", IstioKeys.LocalityLabel, new TextValue(value));
    }
}

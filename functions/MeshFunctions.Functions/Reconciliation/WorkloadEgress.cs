using MeshFunctions.Core.Sidecars;
using MeshFunctions.Functions.Kubernetes;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// Adds hosts to a workload's own Sidecar (created from the namespace defaults when missing), deduplicated by core's
/// <see cref="SidecarEgress"/> and bounded by <see cref="WorkloadSidecar.Bound"/>. Only <c>spec.egress</c> is written,
/// with the read resourceVersion; a 409 re-reads and merges again.
/// </summary>
internal sealed class WorkloadEgress(KubeObjects kube, IOptions<ReconcilerOptions> options)
{
    /// <summary>Returns true when the Sidecar changed.</summary>
    public async Task<bool> EnsureAsync(string ns, string workload, IReadOnlyList<SidecarDependency> dependencies, CancellationToken cancellationToken)
    {
        var name = WorkloadSidecar.NameFor(workload);
        var fresh = WorkloadSidecar.Create(ns, workload);
        for (var attempt = 0; ; attempt++)
        {
            var live = await kube.GetAsync(KubeKind.Sidecar, ns, name, cancellationToken).ConfigureAwait(false);
            var merged = SidecarEgress.Merge(live ?? fresh, dependencies, options.Value.ClusterDomain);
            if (merged.Errors.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", merged.Errors));
            }

            var sidecar = merged.Sidecar;
            var bounded = WorkloadSidecar.Bound(sidecar, options.Value.MaxEgressHosts);
            if (live is not null && !merged.Changed && !bounded)
            {
                return false;
            }

            try
            {
                if (live is null)
                {
                    await kube.CreateAsync(KubeKind.Sidecar, sidecar, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var patch = new System.Text.Json.Nodes.JsonObject
                    {
                        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["resourceVersion"] = live["metadata"]?["resourceVersion"]?.DeepClone() },
                        ["spec"] = new System.Text.Json.Nodes.JsonObject { ["egress"] = sidecar["spec"]!["egress"]!.DeepClone() },
                    };
                    await kube.PatchAsync(KubeKind.Sidecar, ns, name, patch, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (KubeConflictException) when (attempt < 8)
            {
                // Someone else changed (or created) it: merge into theirs.
            }
        }
    }
}

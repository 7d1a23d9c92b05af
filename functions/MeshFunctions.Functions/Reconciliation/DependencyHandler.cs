using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Sidecars;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>dependency-events: the target's host joins the caller's workload Sidecar egress (deduplicated, bounded).</summary>
internal sealed partial class DependencyHandler(WorkloadEgress egress, ILogger<DependencyHandler> logger)
{
    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var meshEvent = MeshEventCodec.Decode<DependencyEvent>(body, MeshEventTypes.Dependency);
        var data = meshEvent.Data;
        if (!Names.IsDns1123Label(data.CallerNamespace) || !Names.IsDns1123Label(data.CallerWorkload) || !Names.IsDns1123Label(data.TargetNamespace) || !Names.IsDns1123Label(data.TargetService))
        {
            throw new MeshEventFormatException($"dependency event {meshEvent.Id}: namespaces, workload and service must be DNS-1123 labels");
        }

        var changed = await egress.EnsureAsync(data.CallerNamespace, data.CallerWorkload, [new SidecarDependency(data.TargetNamespace, data.TargetService)], cancellationToken).ConfigureAwait(false);
        Log.Handled(logger, meshEvent.Id, data.CallerNamespace, data.CallerWorkload, data.TargetNamespace, data.TargetService, changed);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "dependency event {Id}: {CallerNamespace}/{Caller} → {TargetNamespace}/{Target} (Sidecar changed: {Changed})")]
        public static partial void Handled(ILogger logger, string id, string callerNamespace, string caller, string targetNamespace, string target, bool changed);
    }
}

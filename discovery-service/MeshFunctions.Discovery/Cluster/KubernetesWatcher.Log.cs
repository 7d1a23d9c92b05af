namespace MeshFunctions.Discovery.Cluster;

internal sealed partial class KubernetesWatcher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Kubernetes watch of {Kind} expired (410 Gone): relisting")]
        public static partial void WatchExpired(ILogger logger, ResourceKind kind);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Kubernetes watch of {Kind} failed, serving last-known-good state: {Error}")]
        public static partial void WatchFailed(ILogger logger, ResourceKind kind, string error);
    }
}

namespace MeshFunctions.Discovery.Cluster;

internal sealed partial class FloorWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Stored {Count} tombstones in ConfigMap {Name}")]
        public static partial void Stored(ILogger logger, int count, string name);

        [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Storing tombstones in ConfigMap {Name} failed, retrying: {Error}")]
        public static partial void StoreFailed(ILogger logger, string name, string error);

        [LoggerMessage(EventId = 1113, Level = LogLevel.Debug, Message = "ConfigMap {Name} changed under us (attempt {Attempt}): re-reading")]
        public static partial void Conflict(ILogger logger, string name, int attempt);
    }
}

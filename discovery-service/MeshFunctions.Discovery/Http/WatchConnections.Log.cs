namespace MeshFunctions.Discovery.Http;

internal sealed partial class WatchConnections
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1211, Level = LogLevel.Error, Message = "Answering the watch {Path} failed")]
        public static partial void WatchFailed(ILogger logger, string path, Exception exception);
    }
}

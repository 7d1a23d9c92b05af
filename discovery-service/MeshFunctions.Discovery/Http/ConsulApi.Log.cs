using System.Net;

namespace MeshFunctions.Discovery.Http;

internal sealed partial class ConsulApi
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Bad request from {Caller}: {Reason}")]
        public static partial void BadRequest(ILogger logger, IPAddress caller, string reason);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Forwarding {Method} {Path} to upstream Consul failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string method, string path, string error);
    }
}

using System.Net;

namespace MeshFunctions.Discovery.Dns;

internal sealed partial class DnsService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Consul DNS listening on {Endpoint} (UDP and TCP)")]
        public static partial void Listening(ILogger logger, IPEndPoint endpoint);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "DNS transport error: {Error}")]
        public static partial void DnsError(ILogger logger, string error);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "DNS UDP socket error {Error}; the listener goes on")]
        public static partial void SocketError(ILogger logger, System.Net.Sockets.SocketError error);
    }
}

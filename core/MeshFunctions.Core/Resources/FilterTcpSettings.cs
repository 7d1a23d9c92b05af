using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>ConnectionPoolSettings.TCPSettings</c>.</summary>
public sealed record FilterTcpSettings
{
    public int? MaxConnections { get; init; }

    public string? ConnectTimeout { get; init; }

    public FilterTcpKeepalive? TcpKeepalive { get; init; }

    public string? MaxConnectionDuration { get; init; }

    public string? IdleTimeout { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path) =>
        FilterRules.NonNegative(MaxConnections, path + ".maxConnections")
            .Concat(FilterRules.Duration(ConnectTimeout, path + ".connectTimeout"))
            .Concat(FilterRules.Duration(MaxConnectionDuration, path + ".maxConnectionDuration"))
            .Concat(FilterRules.Duration(IdleTimeout, path + ".idleTimeout"))
            .Concat(TcpKeepalive is null ? [] : FilterRules.NonNegative(TcpKeepalive.Probes, path + ".tcpKeepalive.probes")
                .Concat(FilterRules.Duration(TcpKeepalive.Time, path + ".tcpKeepalive.time"))
                .Concat(FilterRules.Duration(TcpKeepalive.Interval, path + ".tcpKeepalive.interval")));
}

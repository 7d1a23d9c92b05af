namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>TCPSettings.TcpKeepalive</c>.</summary>
public sealed record FilterTcpKeepalive
{
    public int? Probes { get; init; }

    public string? Time { get; init; }

    public string? Interval { get; init; }
}

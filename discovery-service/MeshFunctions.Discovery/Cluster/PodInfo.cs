using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>A pod as a possible caller: its IP (null until scheduled, or for host-network pods) and caller state.</summary>
internal sealed record PodInfo(string? Ip, CallerState Caller);

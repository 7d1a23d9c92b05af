namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>A consistent read of one instance: its node, the service and every check that applies to it.</summary>
internal sealed record ServiceInstance(NodeEntry Node, ServiceEntry Service, IReadOnlyList<CheckEntry> Checks);

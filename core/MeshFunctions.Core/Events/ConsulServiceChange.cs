namespace MeshFunctions.Core.Events;

/// <summary>What happened to a service in upstream Consul.</summary>
public enum ConsulServiceChange
{
    Appeared,
    Changed,
    Disappeared,
}

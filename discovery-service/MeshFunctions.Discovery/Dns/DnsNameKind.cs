namespace MeshFunctions.Discovery.Dns;

/// <summary>The kinds of Consul DNS names Discovery answers.</summary>
internal enum DnsNameKind
{
    Service,
    Address,
}

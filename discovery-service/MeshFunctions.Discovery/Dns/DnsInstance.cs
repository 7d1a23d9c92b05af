using System.Net;

namespace MeshFunctions.Discovery.Dns;

/// <summary>One instance to put in a DNS answer: address, port, Consul node, and whether the address is the node's own.</summary>
internal sealed record DnsInstance(IPAddress Address, int Port, string Node, bool NodeAddress);

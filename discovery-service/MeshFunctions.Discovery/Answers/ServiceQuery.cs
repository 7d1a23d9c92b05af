using System.Net;

namespace MeshFunctions.Discovery.Answers;

/// <summary>A per-service read: which endpoint, which service, who asks, and whether selectors narrow it.</summary>
/// <param name="Endpoint">catalog/service, health/service or health/checks.</param>
/// <param name="Service">Service name, decoded once.</param>
/// <param name="Caller">Source IP of the request.</param>
/// <param name="HasSelectors">A <c>tag</c>, <c>filter</c> or <c>node-meta</c> narrows the answer.</param>
/// <param name="LocalDatacenter">No <c>dc</c>, or the local one: the only case a mesh answer may be given.</param>
internal sealed record ServiceQuery(ServiceEndpoint Endpoint, string Service, IPAddress? Caller, bool HasSelectors, bool LocalDatacenter);

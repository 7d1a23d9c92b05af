namespace MeshFunctions.Core.Planning;

/// <summary>
/// One place where a VirtualService names a subset: a route destination, <c>mirror</c> or <c>mirrors[]</c>.
/// </summary>
/// <param name="VirtualServiceNamespace">The VirtualService's namespace.</param>
/// <param name="VirtualServiceName">The VirtualService's name.</param>
/// <param name="Host">The destination host, fully qualified (short names resolved against the VirtualService's namespace).</param>
/// <param name="Subset">The subset name.</param>
/// <param name="Path">The field, such as <c>spec.http[1].route[0].destination.subset</c>.</param>
public sealed record SubsetReference(string VirtualServiceNamespace, string VirtualServiceName, string Host, string Subset, string Path);

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>One place where a VirtualService names a subset: a route destination, a mirror, or a mirrors entry.</summary>
/// <param name="Host">The destination host, resolved to an FQDN against the VirtualService's namespace.</param>
/// <param name="Subset">The subset name.</param>
/// <param name="Path">Where it is written, for example <c>spec.http[0].route[1].destination</c>.</param>
internal sealed record SubsetReference(string Host, string Subset, string Path);

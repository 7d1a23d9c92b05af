using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters;

/// <summary>
/// A field one IstioFilter set and a later one (<see cref="Winner"/>, in apply order) set to a different value:
/// the object it lives in (e.g. <c>VirtualService ns/name</c>), the field's path, and the filter whose value stands.
/// </summary>
public sealed record FilterConflict(string Object, string Path, IstioFilter Winner);

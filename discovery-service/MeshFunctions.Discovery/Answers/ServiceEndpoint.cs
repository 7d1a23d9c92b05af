namespace MeshFunctions.Discovery.Answers;

/// <summary>The per-service reads whose answer follows the mesh/legacy rule.</summary>
internal enum ServiceEndpoint
{
    Catalog,
    Health,
    Checks,
}

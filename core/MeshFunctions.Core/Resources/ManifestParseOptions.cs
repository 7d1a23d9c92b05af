using MeshFunctions.Core.Schemas;

namespace MeshFunctions.Core.Resources;

/// <summary>What <see cref="ManifestParser"/> validates besides MeshFunctions' own kinds and the built-in Kubernetes kinds.</summary>
public sealed record ManifestParseOptions
{
    /// <summary>Built-in kinds and MeshFunctions' kinds only; Istio kinds by <see cref="IstioFieldGuard"/>.</summary>
    public static ManifestParseOptions Default { get; } = new();

    /// <summary>The cluster's CRD schemas (Istio's): objects of these kinds are validated against them instead of the guard.</summary>
    public CrdSchemas? Crds { get; init; }
}

using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>What <see cref="ManifestParser"/> read: the valid objects, and every finding.</summary>
public sealed record ParseResult(IReadOnlyList<Manifest> Manifests, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

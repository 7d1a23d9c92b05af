using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Input;

/// <summary>Everything read from the command's inputs: valid objects in input order, and every finding.</summary>
internal sealed record InputSet(IReadOnlyList<Manifest> Manifests, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

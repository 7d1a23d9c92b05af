using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

public sealed partial record IstioFilterSpec
{
    private partial IEnumerable<Diagnostic> ValidateFeatures() => [];
}

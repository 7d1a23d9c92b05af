using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Configuration;

/// <summary>The outcome of reading a config directory: configs when there is no error, and every finding.</summary>
internal sealed record ConfigLoadResult(IReadOnlyList<RlsConfig> Configs, IReadOnlyList<Diagnostic> Diagnostics, string Fingerprint)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == Severity.Error);
}

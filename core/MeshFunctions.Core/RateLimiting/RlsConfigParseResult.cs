using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>What <see cref="RlsConfigYaml.Parse"/> read: the valid domains (one per YAML document) and every finding.</summary>
public sealed record RlsConfigParseResult(IReadOnlyList<RlsConfig> Configs, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

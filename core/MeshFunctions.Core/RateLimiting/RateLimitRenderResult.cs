using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// What a set of RateLimits renders to: one EnvoyFilter per protected workload, the RLS configuration
/// whose descriptors are exactly the ones those EnvoyFilters emit, and every finding (a RateLimit with
/// an error is left out of both, the others still render).
/// </summary>
public sealed record RateLimitRenderResult(IReadOnlyList<JsonObject> EnvoyFilters, RlsConfig RlsConfig, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

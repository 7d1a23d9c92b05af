using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Configuration;

/// <summary>An immutable compiled configuration; swapped atomically on reload.</summary>
internal sealed class RuleSet
{
    public RuleSet(IReadOnlyDictionary<string, CompiledDomain> domains, IReadOnlyList<RlsConfig> sources)
    {
        Domains = domains;
        Sources = sources;
    }

    public static RuleSet Empty { get; } = new(new Dictionary<string, CompiledDomain>(), []);

    public IReadOnlyDictionary<string, CompiledDomain> Domains { get; }

    /// <summary>The configs it was compiled from (for <c>/rlconfig</c>).</summary>
    public IReadOnlyList<RlsConfig> Sources { get; }
}

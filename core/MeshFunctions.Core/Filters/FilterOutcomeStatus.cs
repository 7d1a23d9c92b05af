namespace MeshFunctions.Core.Filters;

/// <summary>What happened to one IstioFilter in <see cref="IstioFilterEngine.Apply(Rendering.RenderedRouter, IEnumerable{Resources.IstioFilter}, Rendering.RenderOptions)"/>.</summary>
public enum FilterOutcomeStatus
{
    /// <summary>Patched (possibly with warnings, e.g. some of its fields overridden by a later filter).</summary>
    Applied,

    /// <summary>Nothing was applied: the filter cannot apply to this Router (see the diagnostics).</summary>
    Failed,
}

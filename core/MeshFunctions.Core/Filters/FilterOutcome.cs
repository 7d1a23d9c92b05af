using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters;

/// <summary>
/// The result for one IstioFilter: its status and findings, including <see cref="ConflictCode"/> warnings
/// when a later filter (in priority order) overrode a field this filter set.
/// </summary>
public sealed record FilterOutcome(IstioFilter Filter, FilterOutcomeStatus Status, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Diagnostic code of "a later filter overrode this field".</summary>
    public const string ConflictCode = "MF0301";

    /// <summary>Diagnostic code of "the selector matches nothing" and similar no-op warnings.</summary>
    public const string NoMatchCode = "MF0302";

    /// <summary>Diagnostic code of "this filter cannot apply to the Router" (status <see cref="FilterOutcomeStatus.Failed"/>).</summary>
    public const string FailedCode = "MF0303";

    /// <summary>Diagnostic code of "retries on gRPC unavailable/cancelled" (the seed's default-retry problem).</summary>
    public const string RiskyRetryCode = "MF0304";

    /// <summary>
    /// The fields this filter set that a later filter overrode with a different value, in the order of their
    /// <see cref="ConflictCode"/> warnings (one per warning): structured, for callers that act on who won.
    /// </summary>
    public IReadOnlyList<FilterConflict> Overrides { get; init; } = [];

    /// <summary>The conflict findings only.</summary>
    public IEnumerable<Diagnostic> Conflicts => Diagnostics.Where(d => d.Code == ConflictCode);
}

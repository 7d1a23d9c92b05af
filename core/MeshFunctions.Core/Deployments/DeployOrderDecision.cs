using MeshFunctions.Core.Events;

namespace MeshFunctions.Core.Deployments;

/// <summary>The outcome of <see cref="DeployOrdering.Decide"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Apply">For <see cref="DeployOrderKind.Apply"/>: the events to apply, in sequence order (a run with no gaps, unless <paramref name="GapGivenUp"/>).</param>
/// <param name="Parked">The events the Router keeps parked afterwards, in sequence order.</param>
/// <param name="GapGivenUp">Some missing number waited longer than the gap timeout and is now treated as lost.</param>
public sealed record DeployOrderDecision(
    DeployOrderKind Kind,
    IReadOnlyList<MeshEvent<DeployEvent>> Apply,
    IReadOnlyList<MeshEvent<DeployEvent>> Parked,
    bool GapGivenUp)
{
    /// <summary>The sequence the Router records after applying <see cref="Apply"/>.</summary>
    public long LastSequence(long before) => Apply.Count == 0 ? before : Apply[^1].Data.Sequence;
}

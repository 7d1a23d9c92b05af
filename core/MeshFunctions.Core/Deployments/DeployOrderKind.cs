namespace MeshFunctions.Core.Deployments;

/// <summary>What <see cref="DeployOrdering.Decide"/> tells the deploy handler to do with an event.</summary>
public enum DeployOrderKind
{
    /// <summary>An older sequence than the Router's: a no-op.</summary>
    Stale,

    /// <summary>The Router's own sequence (a duplicate, or a retry after a failed transition): only reconcile.</summary>
    Current,

    /// <summary>Already parked on the Router: a no-op.</summary>
    Duplicate,

    /// <summary>Earlier numbers are missing: park the event on the Router (<see cref="DeployOrderDecision.Parked"/> is the new set).</summary>
    Park,

    /// <summary>Earlier numbers are missing and the Router holds <see cref="DeployOrdering.MaxParked"/> parked events already: put it back on the queue.</summary>
    Defer,

    /// <summary>Apply <see cref="DeployOrderDecision.Apply"/> in order, in one Router write, and keep <see cref="DeployOrderDecision.Parked"/>.</summary>
    Apply,

    /// <summary>No event given and none parked can be applied yet.</summary>
    Waiting,
}

namespace MeshFunctions.Functions.Outcomes;

/// <summary>What an outcome reports.</summary>
public enum MeshOutcomeKind
{
    /// <summary>One phase of a transition was applied.</summary>
    StepApplied,

    /// <summary>The Router's live objects match it.</summary>
    TransitionDone,

    /// <summary>An event failed for the last time (it goes to the poison queue).</summary>
    Failed,
}

namespace MeshFunctions.Core.Planning;

/// <summary>Ordered steps that take the live objects to the desired ones without ever routing to a missing subset.</summary>
public sealed record TransitionPlan(IReadOnlyList<PlanStep> Steps)
{
    /// <summary>True when live already equals desired.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>One line per step.</summary>
    public override string ToString() => string.Join('\n', Steps);
}

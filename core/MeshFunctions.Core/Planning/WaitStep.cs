namespace MeshFunctions.Core.Planning;

/// <summary>
/// Let proxies receive what the previous steps changed before going on. Istio exposes no per-resource distribution
/// status any more, so this is a fixed delay (<see cref="PlanOptions.PropagationDelay"/>); a serverless executor
/// turns it into a delayed continuation message rather than a sleep.
/// </summary>
public sealed record WaitStep(TimeSpan Duration, string Reason) : PlanStep(Reason)
{
    /// <summary><c>wait 30s: reason</c>.</summary>
    public override string ToString() => $"wait {Duration.TotalSeconds:0.###}s: {Reason}";
}

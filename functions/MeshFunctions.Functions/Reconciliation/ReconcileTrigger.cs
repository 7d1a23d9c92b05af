namespace MeshFunctions.Functions.Reconciliation;

/// <summary>What asked for a reconcile: the event (or continuation) id, and the transition a continuation continues.</summary>
internal sealed record ReconcileTrigger(string EventId)
{
    public string? TransitionId => Queues.EventQueue.TransitionOf(EventId);
}

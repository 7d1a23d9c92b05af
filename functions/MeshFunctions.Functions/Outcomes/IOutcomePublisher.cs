namespace MeshFunctions.Functions.Outcomes;

/// <summary>Publishes reconcile outcomes. Best effort: a failed publish is logged, never fails the reconcile.</summary>
public interface IOutcomePublisher
{
    Task PublishAsync(MeshOutcome outcome, CancellationToken cancellationToken);
}

namespace MeshFunctions.Core.Planning;

/// <summary>One step of a <see cref="TransitionPlan"/>: <see cref="ApplyStep"/>, <see cref="DeleteStep"/> or <see cref="WaitStep"/>.</summary>
/// <param name="Reason">Why the step is there, for logs and for the Router's status.</param>
public abstract record PlanStep(string Reason);

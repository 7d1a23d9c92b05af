namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>One step of a multi-step transition that waits between steps with a delayed continuation message.</summary>
/// <param name="Step">This step's number, from 1.</param>
/// <param name="LastStep">The last step.</param>
/// <param name="DelaySeconds">Visibility delay of the continuation message (queue storage counts whole seconds).</param>
public sealed record StepMessage(int Step, int LastStep, int DelaySeconds);

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>One step of a multi-step transition that waits between steps with a delayed continuation message.</summary>
/// <param name="Step">This step's number, from 1.</param>
/// <param name="LastStep">The last step.</param>
/// <param name="DelayMilliseconds">Visibility delay of the continuation message.</param>
public sealed record StepMessage(int Step, int LastStep, int DelayMilliseconds);

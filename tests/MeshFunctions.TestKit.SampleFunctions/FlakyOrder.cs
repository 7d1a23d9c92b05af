namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>Message of the flaky function: fail this many attempts, then succeed.</summary>
/// <param name="Name">Any label.</param>
/// <param name="FailTimes">How many attempts throw before one succeeds.</param>
public sealed record FlakyOrder(string Name, int FailTimes);

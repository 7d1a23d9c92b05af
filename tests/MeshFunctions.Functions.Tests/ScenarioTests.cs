namespace MeshFunctions.Functions.Tests;

/// <summary>The scenarios of <see cref="ScenarioTestsBase"/> in-process: the test kit's Functions harness calls the functions directly.</summary>
public sealed class ScenarioTests : ScenarioTestsBase
{
    private protected override Task StartConsumerAsync(MeshApp app) => app.AddHostAsync();

    protected override ValueTask StopConsumerAsync() => ValueTask.CompletedTask; // the app stops its hosts

    protected override Task IdleAsync() => App.RunUntilIdleAsync();

    private protected override IReadOnlyList<TestKit.Functions.FunctionInvocation> Invocations => [.. App.Hosts.SelectMany(h => h.Invocations)];
}

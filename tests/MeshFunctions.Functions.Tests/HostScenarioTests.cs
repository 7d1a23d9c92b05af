using MeshFunctions.TestKit.Functions.Host;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// The scenarios of <see cref="ScenarioTestsBase"/> through the built app as its own process, driven over the Functions
/// host's gRPC protocol by the test kit's host stand-in: the app's Program.cs, middleware, converters and FunctionContext
/// run as in production.
/// </summary>
public sealed class HostScenarioTests : ScenarioTestsBase
{
    private FunctionsWorkerHost? _worker;

    private protected override async Task StartConsumerAsync(MeshApp app) => _worker = await MeshWorker.StartAsync(app);

    protected override ValueTask StopConsumerAsync() => _worker?.DisposeAsync() ?? ValueTask.CompletedTask;

    protected override Task IdleAsync() => _worker!.IdleAsync();

    private protected override IReadOnlyList<TestKit.Functions.FunctionInvocation> Invocations => _worker!.Invocations;
}

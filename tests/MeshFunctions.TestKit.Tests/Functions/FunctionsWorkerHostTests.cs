using System.Text.Json;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Functions.Host;
using MeshFunctions.TestKit.SampleFunctions;

namespace MeshFunctions.TestKit.Tests.Functions;

/// <summary>The sample app as its own worker process behind the host stand-in (gRPC protocol), on the shared Azurite.</summary>
public sealed class FunctionsWorkerHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static string AppDirectory => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-functions-app.path")).Trim();

    [Fact]
    public async Task Echo_ReturnValueOutput_WrittenToTheResolvedOutputQueue()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await StartAsync(app);

        await app.Queue(app.EchoQueue).SendMessageAsync("hello");
        await app.Queue(app.EchoQueue).SendMessageAsync("world");
        await host.WaitForIdleAsync(Patience);

        var echoed = (await app.Queue(app.EchoOutQueue).ReceiveMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["echo:hello", "echo:world"], echoed);
        Assert.Equal(2, host.Invocations.Count(i => i is { Function: "Echo", Outcome: FunctionOutcome.Succeeded, DequeueCount: 1 }));
    }

    [Fact]
    public async Task Flaky_PocoTrigger_RetriedUntilItSucceedsOrPoisonedAtMaxDequeueCount()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await StartAsync(app);

        await app.Queue(app.FlakyQueue).SendMessageAsync(JsonSerializer.Serialize(new FlakyOrder("twice", 2)));
        await app.Queue(app.FlakyQueue).SendMessageAsync(JsonSerializer.Serialize(new FlakyOrder("always", 100)));
        await host.WaitForIdleAsync(Patience);

        var byOutcome = host.Invocations.Where(i => i.Function == "Flaky").GroupBy(i => i.Outcome).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, byOutcome[FunctionOutcome.Succeeded]);
        Assert.Equal(1, byOutcome[FunctionOutcome.Poisoned]);
        Assert.Equal(2 + host.QueueSettings.MaxDequeueCount - 1, byOutcome[FunctionOutcome.Retried]);
        var failure = Assert.IsType<WorkerInvocationException>(host.Invocations.First(i => i.Outcome == FunctionOutcome.Retried).Error);
        Assert.Equal("System.InvalidOperationException", failure.ExceptionType);
        var poisoned = (await app.Queue(app.FlakyQueue + "-poison").ReceiveMessageAsync()).Value;
        Assert.Equal("always", JsonSerializer.Deserialize<FlakyOrder>(poisoned.Body.ToString())!.Name);
    }

    [Fact]
    public async Task Steps_ContinuationsWithVisibilityDelay_WaitedForUntilTheLastStep()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await StartAsync(app);

        await app.Queue(app.StepsQueue).SendMessageAsync(JsonSerializer.Serialize(new StepMessage(1, 3, 1)));
        await host.WaitForIdleAsync(Patience);

        Assert.Equal(3, host.Invocations.Count(i => i is { Function: "Steps", Outcome: FunctionOutcome.Succeeded }));
    }

    [Fact]
    public async Task PlainTextMessage_NotBase64_MovedToPoisonWithoutInvokingTheWorker()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await StartAsync(app);

        await app.PlainQueue(app.EchoQueue).SendMessageAsync("plain text, no base64!");
        await host.WaitForIdleAsync(Patience);

        var only = Assert.Single(host.Invocations);
        Assert.Equal(FunctionOutcome.Undecodable, only.Outcome);
        Assert.Equal("plain text, no base64!", (await app.PlainQueue(app.EchoQueue + "-poison").ReceiveMessageAsync()).Value.Body.ToString());
        Assert.False((await app.Queue(app.EchoOutQueue).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Start_MissingSetting_FailsWithTheBindingThatNeedsIt()
    {
        var app = await SampleApp.CreateAsync();
        var settings = app.Settings;
        settings.Remove("SampleFlakyQueue");

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions
        {
            AppDirectory = AppDirectory,
            Settings = settings,
            CreateQueues = true,
        }));

        Assert.Contains("function 'Flaky' binding 'order'", error.Message, StringComparison.Ordinal);
        Assert.Contains("SampleFlakyQueue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidHostJsonOverride_ListsEveryProblem()
    {
        var app = await SampleApp.CreateAsync();
        var settings = app.Settings;
        settings["AzureFunctionsJobHost__extensions__queues__batchSize"] = "64";
        settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "soon";
        settings["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.050";

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions
        {
            AppDirectory = AppDirectory,
            Settings = settings,
        }));

        Assert.Contains("batchSize: '64'", error.Message, StringComparison.Ordinal);
        Assert.Contains("visibilityTimeout: 'soon'", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxPollingInterval: '00:00:00.050'", error.Message, StringComparison.Ordinal);
    }

    private static Task<FunctionsWorkerHost> StartAsync(SampleApp app) =>
        FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions { AppDirectory = AppDirectory, Settings = app.Settings, CreateQueues = true });
}

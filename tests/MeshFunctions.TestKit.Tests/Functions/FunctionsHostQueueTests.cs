using System.Text.Json;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.SampleFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Tests.Functions;

public sealed class FunctionsHostQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunUntilIdle_Base64Message_HandledWithMetadataAndEchoedToOutputQueue()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        var sent = (await app.Queue(app.EchoQueue).SendMessageAsync("hello")).Value;

        var run = await host.RunUntilIdleAsync(Timeout);

        var invocation = Assert.Single(run);
        Assert.Equal(("Echo", FunctionOutcome.Succeeded, 1L, sent.MessageId), (invocation.Function, invocation.Outcome, invocation.DequeueCount, invocation.MessageId));
        var entry = Assert.Single(host.Services.GetRequiredService<InvocationJournal>().Entries);
        Assert.Equal(("hello", sent.MessageId, 1L), (entry.Payload, entry.MessageId, entry.DequeueCount));
        Assert.Equal(sent.InsertionTime, entry.At);
        var output = (await app.Queue(app.EchoOutQueue).ReceiveMessageAsync()).Value;
        Assert.Equal("echo:hello", output.Body.ToString());
        Assert.Null((await app.Queue(app.EchoQueue).PeekMessageAsync()).Value);
    }

    [Fact]
    public async Task RunUntilIdle_AlwaysFailing_FiveAttemptsThenPoisonQueue()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        var body = JsonSerializer.Serialize(new FlakyOrder("doomed", 99));
        await app.Queue(app.FlakyQueue).SendMessageAsync(body);

        var run = await host.RunUntilIdleAsync(Timeout);

        Assert.Equal([1L, 2, 3, 4, 5], run.Select(i => i.DequeueCount));
        Assert.Equal([FunctionOutcome.Retried, FunctionOutcome.Retried, FunctionOutcome.Retried, FunctionOutcome.Retried, FunctionOutcome.Poisoned],
            run.Select(i => i.Outcome));
        Assert.All(run, i => Assert.IsType<InvalidOperationException>(i.Error));
        Assert.Equal([1L, 2, 3, 4, 5], host.Services.GetRequiredService<InvocationJournal>().Entries.Select(e => e.DequeueCount));
        var poisoned = (await app.Queue(app.FlakyQueue + "-poison").ReceiveMessageAsync()).Value;
        Assert.Equal(body, poisoned.Body.ToString());
        Assert.Null((await app.Queue(app.FlakyQueue).PeekMessageAsync()).Value);
    }

    [Fact]
    public async Task RunUntilIdle_FailsTwice_ThirdAttemptSucceedsAndNoPoison()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        await app.Queue(app.FlakyQueue).SendMessageAsync(JsonSerializer.Serialize(new FlakyOrder("twice", 2)));

        var run = await host.RunUntilIdleAsync(Timeout);

        Assert.Equal([FunctionOutcome.Retried, FunctionOutcome.Retried, FunctionOutcome.Succeeded], run.Select(i => i.Outcome));
        Assert.False((await app.Queue(app.FlakyQueue + "-poison").ExistsAsync()).Value);
    }

    [Fact]
    public async Task RunUntilIdle_ContinuationWithVisibilityDelay_ProcessedOnlyAfterTheDelay()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        await app.Queue(app.StepsQueue).SendMessageAsync(JsonSerializer.Serialize(new StepMessage(1, 3, 2)));

        await host.RunUntilIdleAsync(Timeout);

        var steps = host.Services.GetRequiredService<InvocationJournal>().Entries;
        Assert.Equal(["1", "2", "3"], steps.Select(e => e.Payload));
        // Queue storage keeps visibility times to the second, so a 2 s delay can end up to a second early;
        // without the delay the next step would run within milliseconds.
        Assert.All(steps.Zip(steps.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1),
            $"step {pair.Second.Payload} ran {(pair.Second.At - pair.First.At).TotalMilliseconds} ms after the previous one"));
    }

    [Fact]
    public async Task RunUntilIdle_QueuesEmptyWhileAMessageIsDelayed_PollsBackOffToMaxPollingInterval()
    {
        var app = await SampleApp.CreateAsync();
        var options = app.Options();
        await using var backingOff = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppAssembly = options.AppAssembly,
            Settings = options.Settings,
            CreateQueues = true,
            ConfigureServices = options.ConfigureServices,
            MaxPollingInterval = TimeSpan.FromSeconds(2),
        });
        await using var steady = await FunctionsHost.StartAsync(options);
        var queues = backingOff.Functions.Count(f => f.Value is not null);

        // The same 6 s wait for a delayed message, once with the host's back-off and once polling every 100 ms.
        await app.Queue(app.EchoQueue).SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(6));
        await backingOff.RunUntilIdleAsync(Timeout);
        await app.Queue(app.EchoQueue).SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(6));
        await steady.RunUntilIdleAsync(Timeout);

        Assert.Single(backingOff.Invocations);
        Assert.Single(steady.Invocations);
        // Back-off: per queue 100, 200, 400, 800, 1600 ms, then every 2 s; a slow machine only means fewer polls.
        // Without it, 6 s of 100 ms pauses are up to 60 polls per queue.
        Assert.True(backingOff.EmptyPolls <= queues * 9, $"{backingOff.EmptyPolls} empty polls of {queues} queues with back-off");
        Assert.True(steady.EmptyPolls > backingOff.EmptyPolls, $"{steady.EmptyPolls} empty polls without back-off, {backingOff.EmptyPolls} with");
    }

    [Fact]
    public async Task RunUntilIdle_PlainTextMessage_MovedToPoisonWithoutRunningTheFunction()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        await app.PlainQueue(app.EchoQueue).SendMessageAsync("{not base64}");

        var run = await host.RunUntilIdleAsync(Timeout);

        Assert.Equal(FunctionOutcome.Undecodable, Assert.Single(run).Outcome);
        Assert.Empty(host.Services.GetRequiredService<InvocationJournal>().Entries);
        Assert.Equal("{not base64}", (await app.PlainQueue(app.EchoQueue + "-poison").ReceiveMessageAsync()).Value.Body.ToString());
    }

    [Fact]
    public async Task RunUntilIdle_MessageStillDelayedAtTimeout_TimeoutNamesTheQueue()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());
        await app.Queue(app.EchoQueue).SendMessageAsync("later", visibilityTimeout: TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => host.RunUntilIdleAsync(TimeSpan.FromMilliseconds(500)));

        Assert.Contains(app.EchoQueue, error.Message, StringComparison.Ordinal);
    }
}

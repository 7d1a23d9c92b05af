using System.Text.Json;
using MeshFunctions.Core.Events;
using MeshFunctions.Functions.Outcomes;
using MeshFunctions.TestKit.Processes;
using MeshFunctions.TestKit.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// Outcomes through the real Azure.Messaging.ServiceBus client to the AMQP stand-in (CBS token checked, sender link to
/// the topic), with the Storage Queue as the fallback.
/// </summary>
public sealed class ServiceBusOutcomeTests
{
    private const string Topic = "mesh-outcomes";

    [Fact]
    public async Task Canary_ServiceBusConfigured_OutcomesCarryRouterSessionAndEventMessageIds()
    {
        await using var bus = await FakeServiceBus.StartAsync(Options(Topic));
        await using var app = await MeshApp.StartAsync(new() { ["MeshFunctions:OutcomesServiceBus"] = bus.ConnectionString });
        await app.AddHostAsync();

        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        await app.DeployAsync(3, DeployAction.Weighted, weights: new() { ["v1"] = 90, ["v2"] = 10 });
        await app.DeployAsync(4, DeployAction.Promoted, "v2");
        await app.DeployAsync(5, DeployAction.Deleted, "v1");

        var messages = await bus.WaitForAsync(Topic, m => m.Count(x => x.Subject == "transitionDone") >= 5, MeshApp.Patience);
        Assert.All(messages, m =>
        {
            Assert.Equal("shop/checkout", m.SessionId);
            Assert.Equal("application/json", m.ContentType);
            Assert.Equal($"{m.ApplicationProperties["eventId"]}/{m.Subject}/{m.ApplicationProperties["step"]}", m.MessageId);
            Assert.Equal("checkout", m.ApplicationProperties["router"]);
            var outcome = JsonSerializer.Deserialize<MeshOutcome>(m.Body.ToString(), QueueOutcomePublisher.Json)!;
            Assert.Equal(("shop", "checkout", m.ApplicationProperties["eventId"]), (outcome.Namespace, outcome.Router, (object)outcome.EventId));
        });
        Assert.Equal(messages.Count, messages.Select(m => m.MessageId).Distinct().Count());
        var eventIds = messages.Select(m => (string)m.ApplicationProperties["eventId"]!).ToHashSet();
        Assert.All(Enumerable.Range(1, 5), i => Assert.Contains($"deploy-checkout-{i}", eventIds));
        Assert.Contains(messages, m => m.Subject == "stepApplied");
        Assert.NotEmpty(bus.Tokens);
        Assert.All(bus.Tokens, t => Assert.Equal((200, "servicebus.windows.net:sastoken"), (t.StatusCode, t.TokenType)));
        Assert.False(await app.Queues.GetQueueClient(Topic).ExistsAsync(), "nothing fell back to the Storage Queue");
        Assert.Equal(new Dictionary<string, int> { ["v2"] = 100 }, app.MasterWeights());
        app.AssertNoMissingSubsetEver();
    }

    [Fact]
    public async Task Publish_SameOutcomeTwice_BrokerDuplicateDetectionKeepsOne()
    {
        await using var bus = await FakeServiceBus.StartAsync(Options(Topic));
        var azurite = await AzuriteServer.GetSharedAsync();
        var (publisher, logger) = Publisher(bus.ConnectionString, azurite, "dup-" + Guid.NewGuid().ToString("N")[..8]);
        await using var _ = publisher;
        var outcome = new MeshOutcome("evt-1", "shop", "checkout", MeshOutcomeKind.TransitionDone, 2, "done", DateTimeOffset.UnixEpoch);

        await publisher.PublishAsync(outcome, CancellationToken.None);
        await publisher.PublishAsync(outcome, CancellationToken.None);
        await publisher.PublishAsync(outcome with { Kind = MeshOutcomeKind.StepApplied }, CancellationToken.None);

        var messages = await bus.WaitForAsync(Topic, m => m.Count == 2, MeshApp.Patience);
        Assert.Equal(["evt-1/transitionDone/2", "evt-1/stepApplied/2"], messages.Select(m => m.MessageId));
        Assert.Equal(1, bus.DuplicatesDropped);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task Publish_TokenRefused_LogsTheBrokersReasonAndFallsBackToTheQueue()
    {
        await using var bus = await FakeServiceBus.StartAsync(Options(Topic));
        var azurite = await AzuriteServer.GetSharedAsync();
        var queue = "fallback-" + Guid.NewGuid().ToString("N")[..8];
        var (publisher, logger) = Publisher(bus.ConnectionStringWithKey(Convert.ToBase64String("not-the-key"u8.ToArray())), azurite, queue);
        await using var _ = publisher;
        var outcome = new MeshOutcome("evt-9", "shop", "checkout", MeshOutcomeKind.Failed, 0, "boom", DateTimeOffset.UnixEpoch);

        await publisher.PublishAsync(outcome, CancellationToken.None);

        Assert.Empty(bus.Messages(Topic));
        Assert.Contains(bus.Tokens, t => t.StatusCode == 401 && t.Description.Contains("InvalidSignature", StringComparison.Ordinal));
        var (level, id, text, exception) = Assert.Single(logger.Entries);
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, 301), (level, id.Id));
        Assert.Contains("goes to the outcomes queue instead", text, StringComparison.Ordinal);
        Assert.IsType<UnauthorizedAccessException>(exception);
        Assert.Contains("InvalidSignature", exception!.Message, StringComparison.Ordinal);
        var queued = await azurite.CreateQueueServiceClient().GetQueueClient(queue).ReceiveMessagesAsync(32);
        var fallback = Assert.Single(queued.Value);
        Assert.Equal(outcome, JsonSerializer.Deserialize<MeshOutcome>(fallback.Body.ToString(), QueueOutcomePublisher.Json));
    }

    [Theory]
    [InlineData("not a connection string", "OutcomesServiceBus: not a Service Bus connection string")]
    [InlineData("Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k", "OutcomesServiceBus: ")]
    [InlineData("Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=a2V5;EntityPath=other", "names EntityPath 'other'")]
    public async Task Start_BadServiceBusSettings_FailsWithClearMessage(string connection, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MeshFunctions:OutcomesServiceBus"] = connection });
        builder.Services.AddMeshFunctions(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a2V5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadTopicName_FailsWithClearMessage()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshFunctions:OutcomesServiceBus"] = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=a2V5",
            ["MeshFunctions:OutcomesTopic"] = "/bad topic",
        });
        builder.Services.AddMeshFunctions(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OutcomesTopic: '/bad topic' is not a topic name", error.Message, StringComparison.Ordinal);
    }

    private static FakeServiceBusOptions Options(string topic) => new() { Entities = { topic } };

    private static (ServiceBusOutcomePublisher Publisher, ListLogger<ServiceBusOutcomePublisher> Logger) Publisher(string connection, AzuriteServer azurite, string queue)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new ReconcilerOptions { OutcomesServiceBus = connection, OutcomesTopic = Topic, OutcomesQueue = queue });
        var fallback = new QueueOutcomePublisher(azurite.CreateQueueServiceClient(), options, NullLogger<QueueOutcomePublisher>.Instance);
        var logger = new ListLogger<ServiceBusOutcomePublisher>();
        return (new ServiceBusOutcomePublisher(options, fallback, logger), logger);
    }
}

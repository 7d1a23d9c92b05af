using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Tests.Functions;

public sealed class FunctionsHostBindingTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"functions-{Guid.NewGuid():N}.metadata");
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task RunUntilIdle_BytesAndTriggerMetadata_BoundByName()
    {
        var (azurite, host) = await StartAsync();
        await using var _ = host;
        await azurite.CreateQueueServiceClient().GetQueueClient($"bytes-{_id}").SendMessageAsync("abc");

        await host.RunUntilIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["bytes:3:True:1:Utc:abc"], host.Services.GetRequiredService<BindingProbeLog>().Seen);
        var reply = (await azurite.CreateQueueServiceClient().GetQueueClient($"out-{_id}").ReceiveMessageAsync()).Value;
        Assert.Equal("seen", reply.Body.ToString());
    }

    [Fact]
    public async Task RunUntilIdle_BinaryDataAndPropertyOutputs_ArrayFansOutNullWritesNothing()
    {
        var (azurite, host) = await StartAsync();
        await using var _ = host;
        await azurite.CreateQueueServiceClient().GetQueueClient($"binary-{_id}").SendMessageAsync("xyz");

        await host.RunUntilIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["binary:xyz:True"], host.Services.GetRequiredService<BindingProbeLog>().Seen);
        var fanout = (await azurite.CreateQueueServiceClient().GetQueueClient($"fan-{_id}").ReceiveMessagesAsync(10)).Value;
        Assert.Equal(["a", "b"], fanout.Select(m => m.Body.ToString()).Order());
        Assert.False((await azurite.CreateQueueServiceClient().GetQueueClient($"none-{_id}").ExistsAsync()).Value);
    }

    [Fact]
    public async Task RunUntilIdle_PocoFromCamelCaseJson_StaticMethodResultWrittenAsJson()
    {
        var (azurite, host) = await StartAsync();
        await using var _ = host;
        await azurite.CreateQueueServiceClient().GetQueueClient($"poco-{_id}").SendMessageAsync("""{"item":"disk","quantity":2}""");

        var run = await host.RunUntilIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(FunctionOutcome.Succeeded, Assert.Single(run).Outcome);
        var reply = (await azurite.CreateQueueServiceClient().GetQueueClient($"out-{_id}").ReceiveMessageAsync()).Value;
        Assert.Equal("""{"Item":"disk","Quantity":3,"Note":"none"}""", reply.Body.ToString());
    }

    [Fact]
    public async Task RunUntilIdle_PocoBodyNotJson_CountsAsFailureAndEndsInPoison()
    {
        var (azurite, host) = await StartAsync();
        await using var _ = host;
        await azurite.CreateQueueServiceClient().GetQueueClient($"poco-{_id}").SendMessageAsync("not json");

        var run = await host.RunUntilIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(FunctionOutcome.Poisoned, run[^1].Outcome);
        Assert.Contains("Cannot convert input parameter 'order'", run[0].Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task RunUntilIdle_Concurrency_BoundsInvocationsInFlight(int concurrency)
    {
        var (azurite, host) = await StartAsync(concurrency);
        await using var _ = host;
        var queue = azurite.CreateQueueServiceClient().GetQueueClient($"slow-{_id}");
        for (var i = 0; i < 4; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        await host.RunUntilIdleAsync(TimeSpan.FromSeconds(60));

        var log = host.Services.GetRequiredService<BindingProbeLog>();
        Assert.Equal(4, log.Seen.Count);
        if (concurrency == 1)
        {
            Assert.Equal(1, log.MaxRunning);
        }
        else
        {
            Assert.InRange(log.MaxRunning, 2, concurrency);
        }
    }

    [Fact]
    public async Task StartAsync_ScriptFileNotTheAppAssembly_Fails()
    {
        var azurite = await AzuriteServer.GetSharedAsync();
        File.WriteAllText(_path, Metadata().Replace("MeshFunctions.TestKit.Tests.dll", "Other.dll", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(Options(azurite)));

        Assert.Contains("scriptFile 'Other.dll' is not the app assembly", error.Message, StringComparison.Ordinal);
    }

    private async Task<(AzuriteServer Azurite, FunctionsHost Host)> StartAsync(int concurrency = 1)
    {
        var azurite = await AzuriteServer.GetSharedAsync();
        File.WriteAllText(_path, Metadata());
        return (azurite, await FunctionsHost.StartAsync(Options(azurite, concurrency)));
    }

    private FunctionsHostOptions Options(AzuriteServer azurite, int concurrency = 1) => new()
    {
        Concurrency = concurrency,
        AppAssembly = typeof(BindingProbe).Assembly,
        MetadataPath = _path,
        CreateQueues = true,
        Settings = new Dictionary<string, string?> { ["Probe"] = azurite.ConnectionString, ["Id"] = _id },
        ConfigureServices = (services, _) => services.AddSingleton<BindingProbeLog>(),
    };

    private static string Metadata()
    {
        const string script = "MeshFunctions.TestKit.Tests.dll";
        const string type = "MeshFunctions.TestKit.Tests.Functions.BindingProbe";
        return $$"""
            [
              {"name":"Bytes","scriptFile":"{{script}}","entryPoint":"{{type}}.Bytes","bindings":[
                {"name":"body","direction":"In","type":"queueTrigger","queueName":"bytes-%Id%","connection":"Probe"},
                {"name":"$return","direction":"Out","type":"queue","queueName":"out-%Id%","connection":"Probe"}]},
              {"name":"Binary","scriptFile":"{{script}}","entryPoint":"{{type}}.Binary","bindings":[
                {"name":"body","direction":"In","type":"queueTrigger","queueName":"binary-%Id%","connection":"Probe"},
                {"name":"Fanout","direction":"Out","type":"queue","queueName":"fan-%Id%","connection":"Probe"},
                {"name":"Nothing","direction":"Out","type":"queue","queueName":"none-%Id%","connection":"Probe"}]},
              {"name":"Poco","scriptFile":"{{script}}","entryPoint":"{{type}}.Poco","bindings":[
                {"name":"order","direction":"In","type":"queueTrigger","queueName":"poco-%Id%","connection":"Probe"},
                {"name":"$return","direction":"Out","type":"queue","queueName":"out-%Id%","connection":"Probe"}]},
              {"name":"Slow","scriptFile":"{{script}}","entryPoint":"{{type}}.Slow","bindings":[
                {"name":"body","direction":"In","type":"queueTrigger","queueName":"slow-%Id%","connection":"Probe"}]},
              {"name":"Web","scriptFile":"{{script}}","entryPoint":"{{type}}.NotHosted","bindings":[
                {"name":"req","direction":"In","type":"httpTrigger"}]}
            ]
            """;
    }
}
